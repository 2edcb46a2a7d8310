import Foundation
public import Hummingbird
public import Tessera

/// Authenticates the request by HTTP Basic (RFC 7617) through a
/// ``PasswordLogin``: throttled, one password hash per request, audited.
///
/// Off unless you add it, and best kept to scripts and internal tools:
/// every request pays a full password derivation (about a second of CPU
/// at the default scrypt cost) and sends the password each time. Prefer a
/// session or an API key. The challenge is
/// `Basic realm="…", charset="UTF-8"`; a throttled user gets 429 with
/// `Retry-After` from ``RequireAuthentication``.
public struct HTTPBasicAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    /// The login flow (directory, hasher, throttle).
    public let login: PasswordLogin
    /// The `Basic` challenge a 401 offers.
    public let challenge: AuthenticationChallenge?
    /// The clock that dates the proof.
    public let clock: any WallClock

    /// An authenticator over `login`.
    public init(login: PasswordLogin, realm: String = "tessera", clock: any WallClock = SystemWallClock()) {
        self.login = login
        self.clock = clock
        self.challenge = .basic(realm: realm)
    }

    /// Checks the request's credential of this kind.
    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        let basics = request.headers[values: .authorization].filter { AuthorizationHeaderValue($0).hasScheme("basic") }
        guard let header = basics.first else { return .absent }
        guard basics.count == 1, let (user, password) = Self.credentials(in: header) else {
            return .refused(CredentialRejection(method: .basic, code: "basic.malformed"))
        }
        switch await login.attempt(login: user, password: password, address: context.tessera.clientAddress ?? "") {
        case .succeeded(let userID):
            return .authenticated(AuthenticatedIdentity(userID: userID, method: .basic, authenticatedAt: clock.now()))
        case .failed:
            return .refused(CredentialRejection(method: .basic, code: "basic.invalid_credentials"))
        case .throttled(let retryAfter):
            return .refused(CredentialRejection(method: .basic, code: "login.throttled", retryAfter: retryAfter))
        case .rejected:
            return .refused(CredentialRejection(method: .basic, code: "basic.password_too_long"))
        case .unavailable:
            return .unavailable(.unavailable("the login flow could not check the password"))
        }
    }

    /// The user name and password of `Basic <base64(user:password)>`, or
    /// `nil` when it is not valid base64 of UTF-8 text with a colon.
    static func credentials(in header: String) -> (String, String)? {
        let encoded = String(AuthorizationHeaderValue(header).parameters)
        guard encoded.utf8.count <= 8192, let data = Data(base64Encoded: encoded),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
