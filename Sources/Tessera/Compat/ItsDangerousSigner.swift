import Foundation

/// itsdangerous's `Signer` and `TimestampSigner` (also the core of Flask's
/// session cookie).
///
/// ```
/// Signer:          value sep B64URL(HMAC(derived key, value))
/// TimestampSigner: value sep B64URL(int_to_bytes(ts)) sep B64URL(HMAC(derived key, value sep ts))
/// ```
///
/// Verification splits at the last separator and tries every key, newest
/// first. Signatures and timestamps are decoded as leniently as itsdangerous
/// does (either base64 alphabet, padding, stray low bits), never more.
public struct ItsDangerousSigner: Sendable {
    /// How the HMAC key is derived from the secret.
    public enum KeyDerivation: String, Sendable, CaseIterable {
        /// `H(salt ‖ "signer" ‖ secret)`, the default.
        case djangoConcat = "django-concat"
        /// `H(salt ‖ secret)`.
        case concat
        /// `HMAC-H(secret, salt)`, as Flask configures it.
        case hmac
        /// The secret itself.
        case none
    }

    /// Secrets oldest first; the last one signs (itsdangerous's `secret_key` list).
    public let secrets: [[UInt8]]
    /// The salt mixed into the derived key.
    public let salt: [UInt8]
    /// The separator byte (`.` by default).
    public let separator: UInt8
    /// How the HMAC key is derived.
    public let keyDerivation: KeyDerivation
    /// The hash for derivation and HMAC.
    public let digest: PythonDigest
    private let derivedKeys: [[UInt8]]

    /// - Parameters:
    ///   - secrets: oldest first, as `[*fallbacks, current]`.
    ///   - salt: `"itsdangerous.Signer"` by default.
    ///   - separator: one byte that is not in the base64url alphabet.
    public init?(secrets: [[UInt8]], salt: [UInt8] = Array("itsdangerous.Signer".utf8), separator: UInt8 = UInt8(ascii: "."),
                 keyDerivation: KeyDerivation = .djangoConcat, digest: PythonDigest = .sha1) {
        guard !secrets.isEmpty, Base64.decodeTable[Int(separator)] == 255, separator != UInt8(ascii: "=") else { return nil }
        self.secrets = secrets
        self.salt = salt
        self.separator = separator
        self.keyDerivation = keyDerivation
        self.digest = digest
        self.derivedKeys = secrets.map { Self.deriveKey(secret: $0, salt: salt, keyDerivation: keyDerivation, digest: digest) }
    }

    static func deriveKey(secret: [UInt8], salt: [UInt8], keyDerivation: KeyDerivation, digest: PythonDigest) -> [UInt8] {
        switch keyDerivation {
        case .djangoConcat: return digest.hash(salt + Array("signer".utf8) + secret)
        case .concat: return digest.hash(salt + secret)
        case .hmac: return digest.hmac(key: secret, message: salt)
        case .none: return secret
        }
    }

    private func signature(of value: ArraySlice<UInt8>, key: [UInt8]) -> [UInt8] {
        digest.hmac(key: key, message: value)
    }

    /// `Signer.sign(value)`.
    public func sign(_ value: [UInt8]) -> [UInt8] {
        let mac = signature(of: value[...], key: derivedKeys[derivedKeys.count - 1])
        return value + [separator] + Array(Base64.urlSafeEncode(mac).utf8)
    }

    /// `TimestampSigner.sign(value)` at Unix time `timestamp`.
    public func signWithTimestamp(_ value: [UInt8], timestamp: Int64) -> [UInt8] {
        sign(value + [separator] + Array(Base64.urlSafeEncode(Self.intToBytes(timestamp)).utf8))
    }

    /// `Signer.unsign(token)`: the value, or why not.
    public func unsign(_ token: [UInt8]) -> Verdict<[UInt8]> {
        guard let separatorIndex = token.lastIndex(of: separator) else { return .malformed }
        let value = token[..<separatorIndex]
        guard let mac = Base64.decode(token[(separatorIndex + 1)...], .pythonURLSafeLenient) else { return .badSignature }
        for key in derivedKeys.reversed() where constantTimeEquals(mac, signature(of: value, key: key)) {
            return .valid(Verified(value: Array(value)))
        }
        return .badSignature
    }

    /// `TimestampSigner.unsign(token, max_age)`: with `maxAge`, a token is
    /// expired when older than it or dated in the future at all.
    public func unsignWithTimestamp(_ token: [UInt8], maxAge: TimeInterval?, now: Date = Date()) -> Verdict<[UInt8]> {
        let verdict = unsign(token)
        guard case .valid(let verified) = verdict else { return verdict }
        let signed = verified.value
        guard let separatorIndex = signed.lastIndex(of: separator),
              let timestampBytes = Base64.decode(signed[(separatorIndex + 1)...], .pythonURLSafeLenient),
              let timestamp = Self.bytesToInt(timestampBytes) else { return .malformed }
        let value = Array(signed[..<separatorIndex])
        let issued = Date(timeIntervalSince1970: TimeInterval(timestamp))
        if let maxAge {
            let age = Int64(now.timeIntervalSince1970.rounded(.down)) - timestamp
            if Double(age) > maxAge || age < 0 { return .expired(issuedAt: issued) }
        }
        return .valid(Verified(value: value, issuedAt: issued))
    }

    /// `int_to_bytes`: big-endian, minimal length, 0 → no bytes.
    static func intToBytes(_ value: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        var remaining = UInt64(bitPattern: value)
        while remaining > 0 {
            bytes.insert(UInt8(truncatingIfNeeded: remaining), at: 0)
            remaining >>= 8
        }
        return bytes
    }

    /// `bytes_to_int`; `nil` past 63 bits.
    static func bytesToInt(_ bytes: [UInt8]) -> Int64? {
        let significant = bytes.drop(while: { $0 == 0 })
        guard significant.count <= 8 else { return nil }
        var value: UInt64 = 0
        for byte in significant { value = value << 8 | UInt64(byte) }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }
}
