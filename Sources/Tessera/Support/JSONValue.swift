/// A JSON document that keeps what Foundation's `JSONSerialization` loses:
/// the order of object keys and the difference between `1` and `1.0`.
///
/// Python's signed-payload formats (itsdangerous, Flask, Django) MAC the exact
/// JSON text, so producing byte-identical tokens needs the original key order
/// and Python's number spelling.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer of any size, kept as its decimal text (Python ints are unbounded).
    case integer(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// An object with its keys in document order; a repeated key keeps its
    /// first position and its last value, as Python's `json.loads` does.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            // Python dict equality ignores order.
            guard a.count == b.count else { return false }
            let right = Dictionary(b, uniquingKeysWith: { _, last in last })
            return a.allSatisfy { key, value in right[key] == value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members): hasher.combine(members.count)
        }
    }

    /// The value of `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    /// The text when this is a string.
    /// The value as a 64-bit integer, if it is an integer that fits.
    public var int64Value: Int64? {
        if case .integer(let digits) = self { return Int64(digits) }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
