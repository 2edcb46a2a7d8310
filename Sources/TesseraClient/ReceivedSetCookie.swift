import Foundation
import Tessera

/// One `Set-Cookie` header value taken apart by the parsing algorithm of
/// RFC 6265bis §5.6, before the storage model decides whether to keep it.
///
/// Rules the parser settles:
/// - A header without `=` in its first part is a nameless cookie (name `""`,
///   the text as its value), as RFC 6265bis and browsers do; RFC 6265 ignored it.
/// - Attribute names are case-insensitive; unknown ones are ignored; the last
///   occurrence of an attribute wins.
/// - An attribute value longer than 1024 bytes, a bad `Expires` date, a
///   malformed `Max-Age` or an empty `Domain` drops that attribute only.
struct ReceivedSetCookie: Sendable, Equatable {
    var name: String
    var value: String
    /// The `Expires` attribute, as parsed by the cookie-date algorithm.
    var expires: Date?
    /// The `Max-Age` attribute in seconds; it beats `Expires`.
    var maxAge: Int64?
    /// The `Domain` attribute, without its leading dot and lower-cased (not yet punycoded);
    /// `nil` when absent, empty, or only a dot.
    var domain: String?
    /// The `Path` attribute when it starts with `/`; otherwise `nil` (the default path applies).
    var path: String?
    var secure = false
    var httpOnly = false
    /// `nil` when absent or unrecognised (the RFC's "Default" enforcement).
    var sameSite: SameSite?

    static let maximumNameAndValueBytes = 4096
    static let maximumAttributeValueBytes = 1024

    /// Parses one header value.
    static func parse(_ header: String) -> Result<ReceivedSetCookie, CookieRejection> {
        let bytes = Array(header.utf8)
        if bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) { return .failure(.controlCharacter) }
        let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        let pair = bytes[..<semicolon]
        let name: ArraySlice<UInt8>, value: ArraySlice<UInt8>
        if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
            (name, value) = (trimmed(pair[..<equals]), trimmed(pair[(equals + 1)...]))
        } else {
            (name, value) = (pair[pair.startIndex..<pair.startIndex], trimmed(pair))
        }
        if name.isEmpty && value.isEmpty { return .failure(.emptyNameAndValue) }
        let nameText = String(decoding: name, as: UTF8.self)
        if name.count + value.count > maximumNameAndValueBytes { return .failure(.tooLarge(name: nameText)) }
        if name.contains(0x09) || value.contains(0x09) { return .failure(.tabCharacter) }

        var cookie = ReceivedSetCookie(name: nameText, value: String(decoding: value, as: UTF8.self))
        var rest = bytes[semicolon...]
        while !rest.isEmpty {
            rest = rest.dropFirst()  // the ";"
            let end = rest.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            cookie.apply(attribute: rest[..<end])
            rest = rest[end...]
        }
        if let path = cookie.path, path.utf8.contains(0x09) { return .failure(.tabCharacter) }
        return .success(cookie)
    }

    private mutating func apply(attribute: ArraySlice<UInt8>) {
        let nameBytes: ArraySlice<UInt8>, valueBytes: ArraySlice<UInt8>
        if let equals = attribute.firstIndex(of: UInt8(ascii: "=")) {
            (nameBytes, valueBytes) = (Self.trimmed(attribute[..<equals]), Self.trimmed(attribute[(equals + 1)...]))
        } else {
            (nameBytes, valueBytes) = (Self.trimmed(attribute), [])
        }
        guard valueBytes.count <= Self.maximumAttributeValueBytes else { return }
        let value = String(decoding: valueBytes, as: UTF8.self)
        switch String(decoding: nameBytes, as: UTF8.self).lowercased() {
        case "expires":
            if let date = CookieDate.parse(value) { expires = date }
        case "max-age":
            if let seconds = Self.deltaSeconds(valueBytes) { maxAge = seconds }
        case "domain":
            guard !valueBytes.isEmpty else { return }
            let stripped = String(value.hasPrefix(".") ? value.dropFirst() : Substring(value)).lowercased()
            // `Domain=.` leaves an empty domain: a host-only cookie (§5.7), as if there were no Domain.
            domain = stripped.isEmpty ? nil : stripped
        case "path":
            path = valueBytes.first == UInt8(ascii: "/") ? value : nil
        case "secure":
            secure = true
        case "httponly":
            httpOnly = true
        case "samesite":
            switch value.lowercased() {
            case "strict": sameSite = .strict
            case "lax": sameSite = .lax
            case "none": sameSite = SameSite.none
            default: sameSite = nil
            }
        default:
            break
        }
    }

    /// `-?DIGIT+`, clamped to the range of `Int64` (the 400-day cap applies later).
    static func deltaSeconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var result: Int64 = 0
        for digit in digits {
            let (times, overflowTimes) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int64(digit - 0x30))
            if overflowTimes || overflowSum { result = .max; break }
            result = sum
        }
        return negative ? -result : result
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }
}
