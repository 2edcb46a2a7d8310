/// Splitting and building the dot-separated fields of Tessera's own tokens,
/// and the length-prefixed binary encoding their MACs cover.
enum TokenFields {
    /// Splits `bytes` at `.` into exactly `count` fields, or `nil`.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [Range<Int>]? {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(count)
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: ".") {
            ranges.append(start..<index)
            start = index + 1
            if ranges.count == count { return nil }
        }
        ranges.append(start..<bytes.count)
        return ranges.count == count ? ranges : nil
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
