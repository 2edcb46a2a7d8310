import Foundation

/// Django's `signed_cookies` session backend: the `sessionid` cookie is
/// `signing.dumps(session, compress=True, salt="django.contrib.sessions.backends.signed_cookies")`,
/// loaded with `max_age = SESSION_COOKIE_AGE`. A logged-in session holds
/// `_auth_user_id` (the primary key as a string), `_auth_user_backend` and
/// `_auth_user_hash`.
public struct DjangoSessionCookie: Sendable {
    /// Django's `SESSION_COOKIE_AGE` default: two weeks.
    public static let defaultMaxAge: TimeInterval = 1_209_600
    /// The backend's salt.
    public static let salt = "django.contrib.sessions.backends.signed_cookies"

    /// The `signing.dumps` / `loads` pair underneath.
    public let signing: DjangoSigning

    /// - Parameters:
    ///   - secretKey: `SECRET_KEY`.
    ///   - fallbacks: `SECRET_KEY_FALLBACKS`.
    public init(secretKey: String, fallbacks: [String] = [], salt: String = DjangoSessionCookie.salt, algorithm: PythonDigest = .sha256) {
        signing = DjangoSigning(key: Array(secretKey.utf8), fallbackKeys: fallbacks.map { Array($0.utf8) }, salt: salt, algorithm: algorithm)!
    }

    /// The cookie value for a session at Unix time `timestamp`.
    public func encode(_ session: JSONValue, timestamp: Int64) -> String {
        signing.dumps(session, compress: true, timestamp: timestamp)
    }

    /// Reads a `sessionid` cookie (Django turns any failure into an empty session).
    public func decode(_ cookie: String, maxAge: TimeInterval? = DjangoSessionCookie.defaultMaxAge, now: Date = Date()) -> Verdict<JSONValue> {
        signing.loads(cookie, maxAge: maxAge, now: now)
    }
}
