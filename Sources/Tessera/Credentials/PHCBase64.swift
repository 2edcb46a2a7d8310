/// The base64 spellings that stored password hashes use, decoded strictly:
/// a stored hash has exactly one accepted spelling.
enum PHCBase64 {
    /// Standard alphabet (`+/`) without padding, as the PHC string format
    /// specifies.
    static func encodeUnpadded(_ bytes: [UInt8]) -> String {
        String(decoding: Base64.encode(bytes, alphabet: Base64.standardAlphabet, pad: false), as: UTF8.self)
    }

    /// Decodes standard-alphabet base64 without padding; unused trailing
    /// bits must be zero. `nil` for anything else.
    static func decodeUnpadded(_ text: Substring) -> [UInt8]? {
        decodeUnpadded(Array(text.utf8))
    }

    private static func decodeUnpadded(_ utf8: [UInt8]) -> [UInt8]? {
        // The shared decoder also takes the URL-safe symbols; a PHC string must not.
        guard !utf8.contains(UInt8(ascii: "-")), !utf8.contains(UInt8(ascii: "_")) else { return nil }
        return Base64.decodeSymbols(utf8, allowStandard: true, requireZeroTrailingBits: true)
    }

    /// Decodes standard-alphabet base64 with the `=` padding Python's
    /// `base64.b64encode` writes (Django's hash field); the padding must be
    /// exactly right and unused bits zero. `nil` for anything else.
    static func decodePadded(_ text: Substring) -> [UInt8]? {
        var utf8 = Array(text.utf8)
        guard utf8.count % 4 == 0 else { return nil }
        var padding = 0
        while padding < 2, utf8.last == UInt8(ascii: "=") {
            utf8.removeLast()
            padding += 1
        }
        guard utf8.count % 4 == (padding == 0 ? 0 : 4 - padding) else { return nil }
        return decodeUnpadded(utf8)
    }
}
