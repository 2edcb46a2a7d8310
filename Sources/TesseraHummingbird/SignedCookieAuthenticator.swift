public import Hummingbird
public import Tessera

/// Authenticates the request by a ``SignedUserCookie``: no store, no
/// round trip, only an HMAC.
///
/// The identity's method is ``AuthenticationMethod/signedCookie``, its
/// `authenticatedAt` the cookie's issue time. A cookie that fails its
/// signature or is too old is recorded as refused (`signed_cookie.bad_signature`,
/// `signed_cookie.expired`, …) and the request goes on anonymous.
public struct SignedCookieAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    /// The cookie's name, signer and age limit.
    public let cookie: SignedUserCookie
    /// The clock cookie ages are measured on.
    public let clock: any WallClock
    /// None: cookies have no `WWW-Authenticate` scheme.
    public var challenge: AuthenticationChallenge? { nil }

    /// An authenticator for `cookie`.
    public init(cookie: SignedUserCookie, clock: any WallClock = SystemWallClock()) {
        self.cookie = cookie
        self.clock = clock
    }

    /// The identity the request's signed cookie names, if it verifies.
    @inlinable
    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        Self.outcome(of: request, cookie: cookie, clock: clock)
    }

    @usableFromInline
    static func outcome(of request: Request, cookie: SignedUserCookie, clock: any WallClock) -> AuthenticationOutcome {
        guard let verdict = cookie.verify(RequestCookies(headers: request.cookieHeaderValues) { $0 == cookie.name }, now: clock.now()) else { return .absent }
        guard case .valid(let verified) = verdict, !verified.value.isEmpty else {
            let reason = verdict.summary.replacingOccurrences(of: " ", with: "_")
            return .refused(CredentialRejection(method: .signedCookie, code: "signed_cookie.\(reason)"))
        }
        return .authenticated(AuthenticatedIdentity(userID: verified.value, method: .signedCookie,
                                                    authenticatedAt: verified.issuedAt))
    }
}
