import Foundation

/// Django's `HttpResponse.set_signed_cookie` / `HttpRequest.get_signed_cookie`.
///
/// Since Django 5.2.15 and 6.0.6 (CVE-2026-6873) the salt is length-prefixed:
/// `"django.http.cookies.v2:" ‖ len(salt) ‖ ":" ‖ salt ‖ cookie_name`. Older
/// versions used `cookie_name ‖ salt`, which lets `("ab","cd")` pass as
/// `("abc","d")`; such legacy cookies are still accepted while
/// `legacySaltFallback` is on (Django's `SIGNED_COOKIE_LEGACY_SALT_FALLBACK`,
/// default on), except that an expired current-scheme cookie is never retried.
/// New cookies always use the current scheme.
public struct DjangoSignedCookie: Sendable {
    static let keyPrefix = Array("django.http.cookies".utf8)

    /// `SECRET_KEY`.
    public let secretKey: [UInt8]
    /// `SECRET_KEY_FALLBACKS`.
    public let fallbacks: [[UInt8]]
    /// `SIGNED_COOKIE_LEGACY_SALT_FALLBACK`.
    public let legacySaltFallback: Bool
    /// The HMAC hash (Django: sha256).
    public let algorithm: PythonDigest

    /// A reader and writer with a Django project's settings.
    public init(secretKey: String, fallbacks: [String] = [], legacySaltFallback: Bool = true, algorithm: PythonDigest = .sha256) {
        self.secretKey = Array(secretKey.utf8)
        self.fallbacks = fallbacks.map { Array($0.utf8) }
        self.legacySaltFallback = legacySaltFallback
        self.algorithm = algorithm
    }

    /// The salt of the current (v2) scheme.
    public static func currentSalt(name: String, salt: String) -> String {
        "django.http.cookies.v2:\(salt.unicodeScalars.count):\(salt)\(name)"
    }

    /// The salt of the legacy scheme.
    public static func legacySalt(name: String, salt: String) -> String {
        name + salt
    }

    private func signer(salt: String) -> DjangoSigner {
        // The salt is never empty here, and ":" is a safe separator.
        DjangoSigner(key: Self.keyPrefix + secretKey, fallbackKeys: fallbacks.map { Self.keyPrefix + $0 },
                     salt: salt, separator: ":", algorithm: algorithm, timestamped: true)!
    }

    /// `set_signed_cookie(name, value, salt=salt)` at Unix time `timestamp`.
    public func sign(_ value: String, name: String, salt: String = "", timestamp: Int64) -> String {
        signer(salt: Self.currentSalt(name: name, salt: salt)).sign(value, timestamp: timestamp)
    }

    /// Signs with the pre-5.2.15 salt (to test migrations; never for new cookies).
    public func signLegacy(_ value: String, name: String, salt: String = "", timestamp: Int64) -> String {
        signer(salt: Self.legacySalt(name: name, salt: salt)).sign(value, timestamp: timestamp)
    }

    /// `get_signed_cookie(name, salt=salt, max_age=maxAge)`.
    public func verify(_ token: String, name: String, salt: String = "", maxAge: TimeInterval?, now: Date = Date()) -> Verdict<String> {
        let current = signer(salt: Self.currentSalt(name: name, salt: salt)).unsignWithTimestamp(token, maxAge: maxAge, now: now)
        switch current {
        case .badSignature where legacySaltFallback:
            return signer(salt: Self.legacySalt(name: name, salt: salt)).unsignWithTimestamp(token, maxAge: maxAge, now: now)
        default:
            return current
        }
    }
}
