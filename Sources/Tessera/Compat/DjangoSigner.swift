import Foundation

/// Django's `django.core.signing.Signer` and `TimestampSigner`.
///
/// ```
/// K     = H(salt ‖ "signer" ‖ secret)
/// Signer:          value sep B64URL(HMAC-H(K, value))
/// TimestampSigner: value sep base62(ts) sep B64URL(HMAC-H(K, value sep base62(ts)))
/// ```
///
/// Verification splits at the last separator and tries `SECRET_KEY`, then
/// each of `SECRET_KEY_FALLBACKS`; the signature must match as an exact
/// string (no padding, no `+/` spellings).
public struct DjangoSigner: Sendable {
    /// `SECRET_KEY` first, then the fallbacks.
    public let keys: [[UInt8]]
    /// The salt (the class default when none was given).
    public let salt: String
    /// The field separator (`:` by default).
    public let separator: String
    /// The hash for key derivation and HMAC.
    public let algorithm: PythonDigest
    private let derivedKeys: [[UInt8]]

    /// - Parameters:
    ///   - key: `SECRET_KEY` (or a signer's explicit key).
    ///   - fallbackKeys: `SECRET_KEY_FALLBACKS`.
    ///   - salt: an empty salt means the class's default, as in Django.
    ///   - separator: must not be a base64url character or `=`.
    public init?(key: [UInt8], fallbackKeys: [[UInt8]] = [], salt: String = "", separator: String = ":",
                 algorithm: PythonDigest = .sha256, timestamped: Bool = false) {
        guard !separator.isEmpty,
              !separator.unicodeScalars.allSatisfy({ Self.unsafeSeparatorCharacters.contains($0) }) else { return nil }
        self.keys = [key] + fallbackKeys
        self.salt = salt.isEmpty ? (timestamped ? "django.core.signing.TimestampSigner" : "django.core.signing.Signer") : salt
        self.separator = separator
        self.algorithm = algorithm
        let keySalt = Array((self.salt + "signer").utf8)
        self.derivedKeys = keys.map { algorithm.hash(keySalt + $0) }
    }

    /// Django refuses separators made only of `[A-z0-9-_=]` (note that
    /// `A-z` also spans `[\]^_` and the backtick).
    static let unsafeSeparatorCharacters: Set<Unicode.Scalar> = {
        var set = Set<Unicode.Scalar>()
        for value in UInt32(0x41)...UInt32(0x7A) { set.insert(Unicode.Scalar(value)!) }
        for character in "0123456789-_=".unicodeScalars { set.insert(character) }
        return set
    }()

    private func signature(_ value: String, key: [UInt8]) -> String {
        Base64.urlSafeEncode(algorithm.hmac(key: key, message: Array(value.utf8)))
    }

    /// `Signer.sign(value)`.
    public func sign(_ value: String) -> String {
        value + separator + signature(value, key: derivedKeys[0])
    }

    /// `TimestampSigner.sign(value)` at Unix time `timestamp`.
    public func sign(_ value: String, timestamp: Int64) -> String {
        sign(value + separator + Base62.encode(timestamp))
    }

    /// `Signer.unsign(token)`.
    public func unsign(_ token: String) -> Verdict<String> {
        guard let range = token.range(of: separator, options: .backwards) else { return .malformed }
        let value = String(token[..<range.lowerBound])
        let sent = Array(token[range.upperBound...].utf8)
        for key in derivedKeys where constantTimeEquals(sent, Array(signature(value, key: key).utf8)) {
            return .valid(Verified(value: value))
        }
        return .badSignature
    }

    /// `TimestampSigner.unsign(token, max_age=maxAge)`: expired when
    /// `now - ts > maxAge`; no check of future dates (as in Django).
    public func unsignWithTimestamp(_ token: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<String> {
        let verdict = unsign(token)
        guard case .valid(let verified) = verdict else { return verdict }
        guard let range = verified.value.range(of: separator, options: .backwards),
              let timestamp = Base62.decode(verified.value[range.upperBound...]) else { return .malformed }
        let issued = Date(timeIntervalSince1970: TimeInterval(timestamp))
        if let maxAge, now.timeIntervalSince1970 - TimeInterval(timestamp) > maxAge { return .expired(issuedAt: issued) }
        return .valid(Verified(value: String(verified.value[..<range.lowerBound]), issuedAt: issued))
    }
}
