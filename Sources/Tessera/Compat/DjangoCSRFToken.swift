/// Django's CSRF token check (`CsrfViewMiddleware._check_token`, Django ≥ 4.0).
///
/// The `csrftoken` cookie holds a 32-character secret from
/// `[a-zA-Z0-9]`; a submitted token is either that secret or a masked form of
/// 64 characters (a random 32-character mask followed by the secret with each
/// character shifted by the mask, modulo 62). A 64-character cookie is an
/// older masked secret and is unmasked first. Comparison is constant-time.
public enum DjangoCSRFToken {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    static let secretLength = 32
    static let index: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (position, character) in alphabet.enumerated() { table[Int(character)] = Int8(position) }
        return table
    }()

    static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        (bytes.count == secretLength || bytes.count == 2 * secretLength) && bytes.allSatisfy { index[Int($0)] >= 0 }
    }

    /// Masks a 32-character secret with a 32-character mask (Django's `_mask_cipher_secret`).
    public static func mask(secret: String, mask: String) -> String? {
        let secretBytes = Array(secret.utf8), maskBytes = Array(mask.utf8)
        guard secretBytes.count == secretLength, maskBytes.count == secretLength,
              isWellFormed(secretBytes), isWellFormed(maskBytes) else { return nil }
        let cipher = zip(secretBytes, maskBytes).map { alphabet[(Int(index[Int($0)]) + Int(index[Int($1)])) % 62] }
        return String(decoding: maskBytes + cipher, as: UTF8.self)
    }

    /// A new random secret for the cookie.
    public static func generateSecret() -> String {
        // 62 does not divide 256; reject the top values to keep it uniform.
        var output: [UInt8] = []
        while output.count < secretLength {
            for byte in SecureRandom.bytes(secretLength) where byte < 248 && output.count < secretLength {
                output.append(alphabet[Int(byte) % 62])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func unmask(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 2 * secretLength else { return bytes }
        let mask = bytes[0..<secretLength], cipher = bytes[secretLength...]
        return zip(cipher, mask).map { alphabet[((Int(index[Int($0)]) - Int(index[Int($1)])) % 62 + 62) % 62] }
    }

    /// Whether a submitted token matches the cookie.
    public static func check(cookie: String?, token: String?) -> Bool {
        guard let cookie, let token, !token.isEmpty else { return false }
        let cookieBytes = Array(cookie.utf8), tokenBytes = Array(token.utf8)
        guard isWellFormed(cookieBytes), isWellFormed(tokenBytes) else { return false }
        return constantTimeEquals(unmask(tokenBytes), unmask(cookieBytes))
    }
}
