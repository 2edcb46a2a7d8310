/// How the request is authenticated, as far as cross-site forgery is
/// concerned: does the browser attach the credential on its own?
///
/// The adapter reports the credential the application will actually
/// honour for this request. A request that carries both an
/// `Authorization` header and a session cookie, where the application
/// falls back to the cookie when the header is refused, is ``cookie``.
public enum CSRFCredentialSource: Sendable, Hashable {
    /// A cookie authenticates the request: a session cookie, a signed or
    /// sealed cookie, or a JWT carried in a cookie. Browsers attach it to
    /// cross-site requests, so the request is checked.
    case cookie
    /// An `Authorization: Bearer` token. A page on another site can't
    /// attach it without a CORS preflight the server controls, so the
    /// request is exempt.
    case bearerToken
    /// An API key in a header. Exempt, for the same reason as
    /// ``bearerToken``.
    case apiKey
    /// No credential: an anonymous request, possibly with a pre-session
    /// cookie. It is checked like ``cookie``: login CSRF (signing the
    /// victim into the attacker's account, CS-C9) is forged with exactly
    /// such requests, and anonymous endpoints that must accept
    /// cross-site posts (webhooks) belong in
    /// ``CSRFConfiguration/bypassPatterns`` instead.
    case none

    /// Whether the browser sends this credential by itself, which is what
    /// makes a forged request dangerous (and anonymous requests are
    /// treated the same way: see ``none``).
    public var isCheckedForForgery: Bool {
        switch self {
        case .cookie, .none: true
        case .bearerToken, .apiKey: false
        }
    }
}
