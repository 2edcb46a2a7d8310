/// A strict RFC 8259 JSON parser producing ``JSONValue``.
///
/// It reads outside input (cookie payloads), so it never traps: depth, size
/// and every malformed spelling end in ``JSONParser/Error``.
public struct JSONParser {
    /// Why a document was refused. Carries no part of the input.
    public enum Error: Swift.Error, Equatable, Sendable {
        case invalidSyntax(offset: Int)
        case tooDeep
        case invalidUTF8
        /// An object names the same member twice and the caller asked for
        /// that to be refused (JWS headers and claims, RFC 7515 §5.2).
        case duplicateMember
    }

    /// The deepest nesting accepted.
    public static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    private let rejectsDuplicateMembers: Bool

    private init(bytes: [UInt8], rejectsDuplicateMembers: Bool) {
        self.bytes = bytes
        self.rejectsDuplicateMembers = rejectsDuplicateMembers
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    ///
    /// A repeated object member keeps its last value, as Python does, unless
    /// `rejectingDuplicateMembers` is set; then it throws ``Error/duplicateMember``.
    public static func parse<Bytes: Collection>(
        _ input: Bytes, rejectingDuplicateMembers: Bool = false
    ) throws(Error) -> JSONValue where Bytes.Element == UInt8 {
        var parser = JSONParser(bytes: Array(input), rejectsDuplicateMembers: rejectingDuplicateMembers)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw .invalidSyntax(offset: parser.position) }
        return value
    }

    /// Parses one JSON document from text.
    public static func parse(_ text: String) throws(Error) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func fail() -> Error { .invalidSyntax(offset: position) }

    private mutating func parseValue() throws(Error) -> JSONValue {
        guard position < bytes.count else { throw fail() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(Error) {
        let expected = literal.utf8
        guard position + expected.count <= bytes.count,
              bytes[position..<position + expected.count].elementsEqual(expected) else { throw fail() }
        position += expected.count
    }

    private mutating func enter() throws(Error) {
        depth += 1
        if depth > Self.maximumDepth { throw .tooDeep }
    }

    private mutating func parseObject() throws(Error) -> JSONValue {
        try enter()
        position += 1
        var members: [(String, JSONValue)] = []
        var indexByKey: [String: Int] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail() }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail() }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if let existing = indexByKey[key] {
                if rejectsDuplicateMembers { throw .duplicateMember }
                members[existing].1 = value
            } else {
                indexByKey[key] = members.count
                members.append((key, value))
            }
            skipWhitespace()
            guard position < bytes.count else { throw fail() }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; break }
            throw fail()
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(Error) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw fail() }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; break }
            throw fail()
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func parseHex4() throws(Error) -> UInt32 {
        guard position + 4 <= bytes.count, let digits = Hex.decode(bytes[position..<position + 4]) else { throw fail() }
        position += 4
        return UInt32(digits[0]) << 8 | UInt32(digits[1])
    }

    private mutating func parseString() throws(Error) -> String {
        position += 1
        var runStart = position
        var output: [UInt8] = []
        while true {
            guard position < bytes.count else { throw fail() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                output.append(contentsOf: bytes[runStart..<position])
                position += 1
                break
            }
            if byte < 0x20 { throw fail() }
            if byte != UInt8(ascii: "\\") { position += 1; continue }
            output.append(contentsOf: bytes[runStart..<position])
            position += 1
            guard position < bytes.count else { throw fail() }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "/"): output.append(0x2F)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800...0xDBFF).contains(code),
                   position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let save = position
                    position += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                // A lone surrogate cannot be represented in a Swift String;
                // Python would keep it, but it can't be valid UTF-8 text.
                guard let scalar = Unicode.Scalar(code) else { throw .invalidUTF8 }
                output.append(contentsOf: Array(String(scalar).utf8))
            default:
                throw .invalidSyntax(offset: position - 1)
            }
            runStart = position
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    private mutating func parseNumber() throws(Error) -> JSONValue {
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw fail() }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[position]) {
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        } else {
            throw fail()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let digitsStart = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            guard position > digitsStart else { throw fail() }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            let digitsStart = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            guard position > digitsStart else { throw fail() }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger { return .integer(text) }
        guard let number = Double(text) else { throw fail() }
        return .double(number)
    }
}
