import Foundation

/// Flask's default session cookie (`SecureCookieSessionInterface`).
///
/// It is ``ItsDangerousSerializer`` with salt `"cookie-session"`, HMAC key
/// derivation, SHA-1, and Flask's tagged JSON (sorted keys, ASCII-only). The
/// value is returned in its tagged form: `{" t": [...]}` for a tuple,
/// `{" b": "<base64>"}` for bytes, `{" u": "<hex>"}` for a UUID and so on.
/// Every cookie is checked against `PERMANENT_SESSION_LIFETIME` (31 days by
/// default), permanent or not.
public struct FlaskSessionCookie: Sendable {
    /// Flask's `PERMANENT_SESSION_LIFETIME` default.
    public static let defaultMaxAge: TimeInterval = 31 * 86_400

    /// The serializer with Flask's settings.
    public let serializer: ItsDangerousSerializer

    /// - Parameters:
    ///   - secretKey: `SECRET_KEY`.
    ///   - fallbacks: `SECRET_KEY_FALLBACKS`.
    public init(secretKey: String, fallbacks: [String] = []) {
        self.init(secrets: fallbacks.map { Array($0.utf8) } + [Array(secretKey.utf8)])!
    }

    /// Any settings (the vectors vary them); `nil` for an empty secret list.
    public init?(secrets: [[UInt8]], salt: String = "cookie-session",
                 keyDerivation: ItsDangerousSigner.KeyDerivation = .hmac, digest: PythonDigest = .sha1) {
        guard let serializer = ItsDangerousSerializer(secrets: secrets, salt: Array(salt.utf8), keyDerivation: keyDerivation,
                                                      digest: digest, writer: JSONWriter(sortKeys: true, ensureASCII: true)) else { return nil }
        self.serializer = serializer
    }

    /// Signs a (tagged) session value at Unix time `timestamp`.
    public func encode(_ session: JSONValue, timestamp: Int64) -> String {
        serializer.dumps(session, timestamp: timestamp)
    }

    /// Reads a session cookie.
    public func decode(_ cookie: String, maxAge: TimeInterval? = FlaskSessionCookie.defaultMaxAge, now: Date = Date()) -> Verdict<JSONValue> {
        serializer.loads(cookie, maxAge: maxAge, now: now)
    }
}
