/// Splitting and building the dot-separated fields of Tessera's own tokens,
/// and the length-prefixed binary encoding their MACs cover.
enum TokenFields {
    /// The five fields of a token, as ranges of its bytes.
    struct Five {
        let version, keyID, issuedAt, fourth, fifth: Range<Int>
    }

    /// Splits `bytes` at `.` into exactly five fields, or `nil`.
    static func splitFive(_ bytes: UnsafeBufferPointer<UInt8>) -> Five? {
        var dots = (0, 0, 0, 0)
        var found = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: ".") {
            switch found {
            case 0: dots.0 = index
            case 1: dots.1 = index
            case 2: dots.2 = index
            case 3: dots.3 = index
            default: return nil
            }
            found += 1
        }
        guard found == 4 else { return nil }
        return Five(version: 0..<dots.0, keyID: (dots.0 + 1)..<dots.1, issuedAt: (dots.1 + 1)..<dots.2,
                    fourth: (dots.2 + 1)..<dots.3, fifth: (dots.3 + 1)..<bytes.count)
    }

    /// Parses a canonical decimal Unix time: digits only, no leading zero,
    /// at most 12 digits (year 33658), so each time has one spelling.
    static func parseTime(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        guard !range.isEmpty, range.count <= 12 else { return nil }
        if range.count > 1 && bytes[range.lowerBound] == UInt8(ascii: "0") { return nil }
        var value: Int64 = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// Starts a token: `<version>.<key id>.<issued at>.`
    static func appendHeader(version: String, keyID: [UInt8], issuedAt: Int64, to token: inout [UInt8]) {
        token.append(contentsOf: version.utf8)
        token.append(UInt8(ascii: "."))
        token.append(contentsOf: keyID)
        token.append(UInt8(ascii: "."))
        token.append(contentsOf: String(issuedAt).utf8)
        token.append(UInt8(ascii: "."))
    }

    static func appendLengthPrefixed<Bytes: Collection>(_ bytes: Bytes, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        appendUInt32(UInt32(truncatingIfNeeded: bytes.count), to: &output)
        output.append(contentsOf: bytes)
    }

    static func appendUInt32(_ value: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value >> 24))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
    }

    static func appendUInt64(_ value: UInt64, to output: inout [UInt8]) {
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32), to: &output)
        appendUInt32(UInt32(truncatingIfNeeded: value), to: &output)
    }
}
