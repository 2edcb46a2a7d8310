import Foundation
import HTTPTypes
public import Hummingbird
public import Tessera

/// Authenticates the request by a JWT access token from ``AccessTokens``:
/// from `Authorization: Bearer`, and, when you name a cookie, from that
/// cookie.
///
/// The two carriers differ in one way that matters: a browser attaches a
/// cookie to cross-site requests by itself, so a token read from the cookie
/// gives method ``AuthenticationMethod/jwtCookie`` and ``CSRFMiddleware``
/// checks the request, while a header token (``AuthenticationMethod/jwt``)
/// is exempt. The identity carries the token's `scope` claim as scopes,
/// `iat` as `authenticatedAt` and `jti` as its credential ID.
///
/// A bad token is recorded as refused with the verifier's code
/// (`jwt.expired`, `jwt.bad_signature`, …) and a 401 says
/// `error="invalid_token"`; a deny-list that can't be asked makes
/// protected routes answer 503.
public struct JWTAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    /// The verifier, with its key set, policy and deny-list.
    public let accessTokens: AccessTokens
    /// The cookie a token may also come in, or `nil` for the header only.
    public let cookieName: String?
    /// The `Bearer` challenge a 401 offers for this scheme.
    public let challenge: AuthenticationChallenge?

    /// An authenticator over `accessTokens`.
    /// - Parameters:
    ///   - cookieName: a cookie to read the token from when the header has none.
    ///   - realm: the `realm` of the `Bearer` challenge.
    public init(accessTokens: AccessTokens, cookieName: String? = nil, realm: String = "tessera") {
        self.accessTokens = accessTokens
        self.cookieName = cookieName
        self.challenge = .bearer(realm: realm)
    }

    /// Checks the request's credential of this kind.
    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        let method: AuthenticationMethod
        let token: String
        switch BearerCredential.presented(in: request.headers) {
        case .conflicting:
            return .refused(CredentialRejection(method: .jwt, code: "bearer.conflicting"))
        case .token(let value) where !value.hasPrefix(APIKey.prefix):
            (method, token) = (.jwt, value)
        case .token, .none:
            guard let cookieName, let value = RequestCookies(headers: request.cookieHeaderValues, keeping: { $0 == cookieName }).first(named: cookieName) else {
                return .absent
            }
            (method, token) = (.jwtCookie, value)
        }
        do {
            let verified = try await accessTokens.verify(token)
            guard let subject = verified.subject, !subject.isEmpty else {
                return .refused(CredentialRejection(method: method, code: "jwt.missing_claim"))
            }
            return .authenticated(AuthenticatedIdentity(
                userID: subject, method: method, scopes: Set(verified.scopes),
                authenticatedAt: verified.issuedAt, credentialID: verified.tokenID
            ))
        } catch {
            switch error {
            case .rejected(let reason): return .refused(CredentialRejection(method: method, code: reason.code))
            case .unavailable(let storeError): return .unavailable(storeError)
            }
        }
    }
}

/// The token of an `Authorization: Bearer` header (RFC 6750 §2.1).
enum BearerCredential: Equatable {
    case none
    case token(String)
    /// Several `Authorization` headers, or one that is `Bearer` with no token.
    case conflicting

    static func presented(in headers: HTTPFields) -> BearerCredential {
        let values = headers[values: .authorization]
        var first: Substring?
        for value in values {
            let credentials = AuthorizationHeaderValue(value)
            guard credentials.hasScheme("bearer") else { continue }
            if credentials.parameters.isEmpty { return .conflicting }
            if first == nil { first = credentials.parameters }
        }
        guard let first else { return .none }
        return values.count == 1 ? .token(String(first)) : .conflicting
    }
}
