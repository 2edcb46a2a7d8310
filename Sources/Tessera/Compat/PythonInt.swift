/// Python's `int(text)` for base-10 text, for the few places where a Python
/// peer parses a number that no MAC protects (so Tessera must accept the same
/// spellings, no more): surrounding whitespace, an optional sign, digits with
/// single underscores between them.
enum PythonInt {
    static func parse<Bytes: BidirectionalCollection>(_ bytes: Bytes) -> Int64? where Bytes.Element == UInt8 {
        var slice = bytes[...]
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        var negative = false
        if let first = slice.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            slice = slice.dropFirst()
        }
        guard let first = slice.first, let last = slice.last,
              first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return nil }
        var value: Int64 = 0
        var previousUnderscore = false
        for byte in slice {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// Strict decimal: digits only, no sign, no leading zero (unless "0").
    static func parseCanonical<Bytes: Collection>(_ bytes: Bytes) -> Int64? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        if bytes.count > 1 && bytes.first == UInt8(ascii: "0") { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
