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
        append(bytes, alphabet: alphabet, pad: pad, to: &output)
        return output
    }

    /// Appends the URL-safe, unpadded encoding of `bytes` to `output`.
    public static func appendURLSafe<Bytes: Collection>(_ bytes: Bytes, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        append(bytes, alphabet: urlSafeAlphabet, pad: false, to: &output)
    }

    static func append<Bytes: Collection>(_ bytes: Bytes, alphabet: [UInt8], pad: Bool, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ append($0, alphabet: alphabet, pad: pad, to: &output) }) {
            return done
        }
        Array(bytes).withUnsafeBufferPointer { append($0, alphabet: alphabet, pad: pad, to: &output) }
    }

    /// The hot path: three bytes to four symbols per step, written straight
    /// into the output's spare capacity.
    static func append(_ input: UnsafeBufferPointer<UInt8>, alphabet: [UInt8], pad: Bool, to output: inout [UInt8]) {
        let count = input.count
        let remainder = count % 3
        let encodedCount = count / 3 * 4 + (remainder == 0 ? 0 : (pad ? 4 : remainder + 1))
        let start = output.count
        output.reserveCapacity(start + encodedCount)
        alphabet.withUnsafeBufferPointer { symbols in
            output.append(contentsOf: repeatElement(0, count: encodedCount))
            output.withUnsafeMutableBufferPointer { buffer in
                var inputIndex = 0, outputIndex = start
                while inputIndex + 3 <= count {
                    let word = UInt32(input[inputIndex]) << 16 | UInt32(input[inputIndex + 1]) << 8 | UInt32(input[inputIndex + 2])
                    buffer[outputIndex] = symbols[Int(word >> 18)]
                    buffer[outputIndex + 1] = symbols[Int(word >> 12 & 0x3F)]
                    buffer[outputIndex + 2] = symbols[Int(word >> 6 & 0x3F)]
                    buffer[outputIndex + 3] = symbols[Int(word & 0x3F)]
                    inputIndex += 3
                    outputIndex += 4
                }
                if remainder > 0 {
                    let first = UInt32(input[inputIndex])
                    let second = remainder == 2 ? UInt32(input[inputIndex + 1]) : 0
                    buffer[outputIndex] = symbols[Int(first >> 2)]
                    buffer[outputIndex + 1] = symbols[Int((first & 0x03) << 4 | second >> 4)]
                    if remainder == 2 {
                        buffer[outputIndex + 2] = symbols[Int((second & 0x0F) << 2)]
                    } else if pad {
                        buffer[outputIndex + 2] = UInt8(ascii: "=")
                    }
                    if pad { buffer[outputIndex + 3] = UInt8(ascii: "=") }
                }
            }
        }
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

    static func decodeSymbols<Bytes: Collection>(_ input: Bytes, allowStandard: Bool, requireZeroTrailingBits: Bool) -> [UInt8]?
    where Bytes.Element == UInt8 {
        if let result = input.withContiguousStorageIfAvailable({
            decodeSymbols($0, allowStandard: allowStandard, requireZeroTrailingBits: requireZeroTrailingBits)
        }) {
            return result
        }
        return Array(input).withUnsafeBufferPointer {
            decodeSymbols($0, allowStandard: allowStandard, requireZeroTrailingBits: requireZeroTrailingBits)
        }
    }

    /// The hot path: four symbols to three bytes per step, straight into the
    /// result's storage. Rejects a symbol outside the alphabet, a length of
    /// 4n+1, and (when asked) non-zero unused bits in the last symbol.
    static func decodeSymbols(_ input: UnsafeBufferPointer<UInt8>, allowStandard: Bool, requireZeroTrailingBits: Bool) -> [UInt8]? {
        let count = input.count
        let remainder = count % 4
        if remainder == 1 { return nil }
        let outputCount = count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        // 0x80 marks an invalid byte; 0x40 marks '+' or '/' (standard alphabet only).
        let rejectMask: UInt8 = allowStandard ? 0x80 : 0xC0
        var seen: UInt8 = 0
        var trailingBits: UInt32 = 0
        let output = decodeTable.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
                var flags: UInt8 = 0
                var inputIndex = 0, outputIndex = 0
                while inputIndex + 4 <= count {
                    let a = table[Int(input[inputIndex])], b = table[Int(input[inputIndex + 1])]
                    let c = table[Int(input[inputIndex + 2])], d = table[Int(input[inputIndex + 3])]
                    flags |= a | b | c | d
                    let word = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                    buffer[outputIndex] = UInt8(truncatingIfNeeded: word >> 16)
                    buffer[outputIndex + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    buffer[outputIndex + 2] = UInt8(truncatingIfNeeded: word)
                    inputIndex += 4
                    outputIndex += 3
                }
                if remainder >= 2 {
                    let a = table[Int(input[inputIndex])], b = table[Int(input[inputIndex + 1])]
                    flags |= a | b
                    let first = UInt32(a & 0x3F), second = UInt32(b & 0x3F)
                    buffer[outputIndex] = UInt8(truncatingIfNeeded: first << 2 | second >> 4)
                    outputIndex += 1
                    if remainder == 3 {
                        let c = table[Int(input[inputIndex + 2])]
                        flags |= c
                        let third = UInt32(c & 0x3F)
                        buffer[outputIndex] = UInt8(truncatingIfNeeded: second << 4 | third >> 2)
                        outputIndex += 1
                        trailingBits = third & 0x03
                    } else {
                        trailingBits = second & 0x0F
                    }
                }
                initialized = outputIndex
                seen = flags
            }
        }
        guard seen & rejectMask == 0 else { return nil }
        if requireZeroTrailingBits && trailingBits != 0 { return nil }
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
