/// The wire format of a masked CSRF token.
///
/// `base64url(mask ‖ (secret XOR mask))` without padding, where `mask` is
/// 32 fresh random bytes: 64 bytes, 86 characters. The masking keeps the
/// secret from appearing verbatim in any response body, so compression
/// side channels (BREACH) can't recover it byte by byte; every rendered
/// token differs, and every one unmasks to the same secret.
///
/// Swapping the two halves of a token gives another valid token of the
/// same secret (XOR is symmetric). That is not a forgery: it requires
/// holding a valid token, which already is the secret's equivalent.
public enum CSRFToken {
    /// The decoded length of a token: 64 bytes.
    public static let byteCount = 2 * CSRFSecret.byteCount
    /// The encoded length of a token: 86 characters. Adapters may refuse
    /// longer header values before reading them.
    public static let encodedLength = 86

    /// Masks `secret` with `mask` (both 32 bytes).
    static func mask(_ secret: [UInt8], with mask: [UInt8]) -> String {
        var bytes = mask
        bytes.reserveCapacity(byteCount)
        for (secretByte, maskByte) in zip(secret, mask) {
            bytes.append(secretByte ^ maskByte)
        }
        return Base64.urlSafeEncode(bytes)
    }

    /// The secret inside a token, or `nil` when the text is not exactly one
    /// canonical token. The length is checked before any decoding, so a
    /// 10 KB header costs nothing.
    static func unmask(_ token: String) -> [UInt8]? {
        guard token.utf8.count == encodedLength,
              let bytes = Base64.decode(token, .canonicalURLSafe), bytes.count == byteCount
        else { return nil }
        let mask = bytes[..<CSRFSecret.byteCount], cipher = bytes[CSRFSecret.byteCount...]
        return zip(mask, cipher).map { $0 ^ $1 }
    }
}
