/// Base64 encoders and decoders for token formats.
///
/// Foundation's `Data(base64Encoded:)` accepts only the standard alphabet with
/// padding and allocates on every call. Tokens need the URL-safe alphabet
/// without padding, strict decoding for our own formats (a token has exactly
/// one spelling) and a lenient mode for Python peers that accept more.
public enum Base64 {
    /// How a decoder treats spellings that differ from the canonical one.
    public enum Strictness: Sendable {
        /// URL-safe alphabet, no padding, unused trailing bits must be zero.
        case canonicalURLSafe
        /// Python's `base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))`:
        /// accepts both alphabets, any amount of trailing padding and
        /// non-zero unused bits.
        case pythonURLSafeLenient
        /// Python's non-validating `base64.b64decode`: characters outside the
        /// standard alphabet are discarded; padding is required.
        case pythonStandardLenient
    }

    @usableFromInline
    static let urlSafeAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    @usableFromInline
    static let standardAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for a URL-safe character, 64 for `+`/`/` (standard only), 255 otherwise.
    @usableFromInline
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, character) in urlSafeAlphabet.enumerated() { table[Int(character)] = UInt8(index) }
        table[Int(UInt8(ascii: "+"))] = 62 | 0x40
        table[Int(UInt8(ascii: "/"))] = 63 | 0x40
        return table
    }()

    /// Encodes bytes as URL-safe base64 without padding.
    public static func urlSafeEncode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: encode(bytes, alphabet: urlSafeAlphabet, pad: false), as: UTF8.self)
    }

    /// Encodes bytes as standard base64 with `=` padding.
    public static func standardEncode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: encode(bytes, alphabet: standardAlphabet, pad: true), as: UTF8.self)
    }

    /// Encodes bytes into ASCII bytes with the given alphabet.
    @usableFromInline
    static func encode<Bytes: Collection>(_ bytes: Bytes, alphabet: [UInt8], pad: Bool) -> [UInt8] where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | (second ?? 0) >> 4)])
            if let second {
                output.append(alphabet[Int((second & 0x0F) << 2 | (third ?? 0) >> 6)])
            } else if pad {
                output.append(UInt8(ascii: "="))
            }
            if let third {
                output.append(alphabet[Int(third & 0x3F)])
            } else if pad {
                output.append(UInt8(ascii: "="))
            }
        }
        return output
    }

    /// Decodes URL-safe base64 text; returns `nil` for anything the chosen
    /// strictness does not accept.
    public static func decode(_ text: String, _ strictness: Strictness = .canonicalURLSafe) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0, strictness) }
    }

    /// Decodes base64 from ASCII bytes; returns `nil` for anything the chosen
    /// strictness does not accept.
    public static func decode<Bytes: Collection>(_ input: Bytes, _ strictness: Strictness = .canonicalURLSafe) -> [UInt8]?
    where Bytes.Element == UInt8 {
        switch strictness {
        case .canonicalURLSafe:
            return decodeSymbols(input, allowStandard: false, requireZeroTrailingBits: true)
        case .pythonURLSafeLenient:
            // Python appends padding, so a run of trailing '=' is tolerated,
            // but '=' inside the data is not.
            var end = input.endIndex
            var index = input.startIndex
            while index != input.endIndex {
                if input[index] != UInt8(ascii: "=") { end = input.index(after: index) }
                index = input.index(after: index)
            }
            let body = input[input.startIndex..<end]
            if body.contains(UInt8(ascii: "=")) { return nil }
            return decodeSymbols(body, allowStandard: true, requireZeroTrailingBits: false)
        case .pythonStandardLenient:
            return decodePythonStandard(input)
        }
    }

    @usableFromInline
    static func decodeSymbols<Bytes: Collection>(_ input: Bytes, allowStandard: Bool, requireZeroTrailingBits: Bool) -> [UInt8]?
    where Bytes.Element == UInt8 {
        let count = input.count
        if count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in input {
            var symbol = decodeTable[Int(character)]
            if symbol == 255 { return nil }
            if symbol & 0x40 != 0 {
                guard allowStandard else { return nil }
                symbol &= 0x3F
            }
            accumulator = accumulator << 6 | UInt32(symbol)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        if requireZeroTrailingBits && accumulator != 0 { return nil }
        return output
    }

    /// Python's `base64.b64decode` without `validate=True`: non-alphabet
    /// characters are dropped, then the data must be correctly padded.
    static func decodePythonStandard<Bytes: Collection>(_ input: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        var symbols: [UInt8] = []
        var padding = 0
        var sawPadding = false
        for character in input {
            if character == UInt8(ascii: "=") {
                sawPadding = true
                padding += 1
                continue
            }
            let symbol = decodeTable[Int(character)]
            // '-' and '_' are not in the standard alphabet and are discarded.
            if symbol == 255 || character == UInt8(ascii: "-") || character == UInt8(ascii: "_") { continue }
            if sawPadding {
                // binascii stops at the first complete padded quantum; data
                // after it is an error only in strict mode. Mirror the common
                // case: trailing garbage after padding ends decoding.
                break
            }
            symbols.append(character == UInt8(ascii: "+") ? UInt8(ascii: "-") : character == UInt8(ascii: "/") ? UInt8(ascii: "_") : character)
        }
        let remainder = symbols.count % 4
        if remainder == 1 { return nil }
        if remainder != 0 && padding < 4 - remainder { return nil }
        return decodeSymbols(symbols, allowStandard: false, requireZeroTrailingBits: false)
    }
}
