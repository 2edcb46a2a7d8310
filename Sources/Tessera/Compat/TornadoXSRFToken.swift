/// Tornado's XSRF protection (`check_xsrf_cookie`): the `_xsrf` cookie and
/// the submitted token (form field `_xsrf`, header `X-Xsrftoken` or
/// `X-Csrftoken`) must unmask to the same 16 random bytes.
///
/// ```
/// v2 = "2|" hex(mask) "|" hex(raw XOR mask…) "|" timestamp
/// v1 = hex(raw)          (or the raw text when it is not hex)
/// ```
///
/// There is no MAC: the token proves only that the requester could read the
/// cookie, which a cross-site attacker cannot.
public enum TornadoXSRFToken {
    /// Builds a v2 token from its parts (Tornado's `xsrf_token`).
    public static func make(rawToken: [UInt8], mask: [UInt8], timestamp: Int64) -> String? {
        guard mask.count == 4 else { return nil }
        let masked = rawToken.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return "2|\(Hex.encode(mask))|\(Hex.encode(masked))|\(timestamp)"
    }

    /// A new random token (16 bytes, fresh 4-byte mask).
    public static func generate(timestamp: Int64) -> String {
        make(rawToken: SecureRandom.bytes(16), mask: SecureRandom.bytes(4), timestamp: timestamp)!
    }

    /// The raw bytes a cookie or token stands for, or `nil` when Tornado
    /// would treat it as absent (`_decode_xsrf_token`).
    public static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        // A version prefix other than 2 makes the token absent, not v1.
        if let version = TornadoSignedValue.versionPrefix(of: bytes) {
            guard version == 2 else { return nil }
            let parts = bytes.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
            guard parts.count == 4,
                  let mask = Hex.decode(parts[1]), mask.count == 4,
                  let masked = Hex.decode(parts[2]),
                  PythonInt.parse(parts[3]) != nil else { return nil }
            return masked.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        }
        return Hex.decode(bytes) ?? bytes
    }

    /// Tornado's check: both present, both decode, equal in constant time.
    public static func check(cookie: String?, token: String?) -> Bool {
        guard let token, !token.isEmpty, let submitted = decode(token), !submitted.isEmpty,
              let cookie, !cookie.isEmpty, let expected = decode(cookie) else { return false }
        return constantTimeEquals(submitted, expected)
    }
}
