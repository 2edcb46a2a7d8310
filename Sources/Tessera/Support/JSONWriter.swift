/// Writes ``JSONValue`` as compact JSON the way Python's `json.dumps` does
/// with `separators=(",", ":")`, so a signed payload matches a Python peer's
/// byte for byte.
public struct JSONWriter: Sendable {
    /// Sort object keys by code point (Flask's tagged JSON does).
    public var sortKeys: Bool
    /// Escape every non-ASCII character as `\uXXXX` (Python's default,
    /// used by Flask and Django); `false` writes raw UTF-8 (itsdangerous).
    public var ensureASCII: Bool

    /// A writer with the given key order and escaping.
    public init(sortKeys: Bool = false, ensureASCII: Bool = true) {
        self.sortKeys = sortKeys
        self.ensureASCII = ensureASCII
    }

    /// Serialises a value to UTF-8 bytes.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output)
        return output
    }

    /// Serialises a value to text.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let digits): output.append(contentsOf: digits.utf8)
        case .double(let number): output.append(contentsOf: Self.pythonRepr(number).utf8)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            let ordered = sortKeys ? members.sorted { Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.0.unicodeScalars.map(\.value)) } : members
            output.append(UInt8(ascii: "{"))
            for (index, member) in ordered.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.0, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.1, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, `.0` on integral
    /// values, exponent form below 1e-4 and from 1e16. Swift's description
    /// follows the same rules (checked by the JSON writer tests).
    static func pythonRepr(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return "\(number)"
    }

    private func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: output.append(contentsOf: "\\\"".utf8)
            case 0x5C: output.append(contentsOf: "\\\\".utf8)
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            case 0x08: output.append(contentsOf: "\\b".utf8)
            case 0x0C: output.append(contentsOf: "\\f".utf8)
            case 0x00..<0x20: appendEscape(UInt16(scalar.value), into: &output)
            case 0x20..<0x7F: output.append(UInt8(scalar.value))
            default:
                if ensureASCII {
                    for unit in String(scalar).utf16 { appendEscape(unit, into: &output) }
                } else {
                    output.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private func appendEscape(_ unit: UInt16, into output: inout [UInt8]) {
        output.append(contentsOf: "\\u".utf8)
        let hex = Hex.encode([UInt8(unit >> 8), UInt8(unit & 0xFF)])
        output.append(contentsOf: hex.utf8)
    }
}
