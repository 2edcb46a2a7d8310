public import Foundation

/// Who a request is, and how it proved it.
public struct AuthenticatedIdentity: Sendable, Hashable {
    /// The user's ID, as your user directory knows it.
    public var userID: String
    /// Which authenticator accepted the request.
    public var method: AuthenticationMethod
    /// What the credential may do. `nil` means unrestricted: the user
    /// themselves, signed in with a session or a password. API keys and
    /// access tokens carry the scopes they were issued with.
    public var scopes: Set<String>?
    /// When the user last proved who they are (the sign-in or step-up of a
    /// session, the issue time of a token); `nil` when unknown, which no
    /// recent-authentication check accepts.
    public var authenticatedAt: Date?
    /// The public identifier of the credential: an API key's ID or a
    /// token's `jti`, for logs and revocation (never a secret).
    public var credentialID: String?

    /// An identity.
    public init(userID: String, method: AuthenticationMethod, scopes: Set<String>? = nil,
                authenticatedAt: Date? = nil, credentialID: String? = nil) {
        self.userID = userID
        self.method = method
        self.scopes = scopes
        self.authenticatedAt = authenticatedAt
        self.credentialID = credentialID
    }

    /// Whether the credential allows every one of `required`.
    public func allows(scopes required: Set<String>) -> Bool {
        guard let scopes else { return true }
        return required.isSubset(of: scopes)
    }
}

/// The ways a request can prove who it is.
public enum AuthenticationMethod: String, Sendable, Hashable, CaseIterable {
    /// A server-side session cookie.
    case session
    /// A session sealed into the cookie itself.
    case sealedSession = "sealed-session"
    /// A signed cookie naming the user, with no store at all.
    case signedCookie = "signed-cookie"
    /// A JWT access token in the `Authorization: Bearer` header.
    case jwt
    /// A JWT access token carried in a cookie.
    case jwtCookie = "jwt-cookie"
    /// An API key, from a header or (when enabled) the query.
    case apiKey = "api-key"
    /// HTTP Basic with a user name and password.
    case basic

    /// Whether the browser attaches this credential by itself, which makes
    /// the request subject to CSRF checks.
    public var isAmbient: Bool {
        switch self {
        case .session, .sealedSession, .signedCookie, .jwtCookie: true
        // A browser caches Basic credentials and sends them cross-site too.
        case .basic: true
        case .jwt, .apiKey: false
        }
    }
}
