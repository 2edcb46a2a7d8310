/// The character classes of RFC 6265 §4.1.1 and RFC 9110 §5.6.2.
enum CookieSyntax {
    /// RFC 9110 `tchar`: the characters of a cookie name.
    static let tokenCharacters: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(0x21)...UInt8(0x7E) { table[Int(byte)] = true }
        for separator in "()<>@,;:\\\"/[]?={}".utf8 { table[Int(separator)] = false }
        return table
    }()

    /// RFC 6265 `cookie-octet`: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
    static let cookieOctets: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(0x21)...UInt8(0x7E) { table[Int(byte)] = true }
        for excluded in "\",;\\".utf8 { table[Int(excluded)] = false }
        return table
    }()

    static func isToken<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var empty = true
        for byte in bytes {
            guard tokenCharacters[Int(byte)] else { return false }
            empty = false
        }
        return !empty
    }

    /// The first byte that is not a cookie-octet, allowing one pair of
    /// surrounding double quotes.
    static func firstInvalidValueByte(_ value: String) -> UInt8? {
        var bytes = Substring(value).utf8[...]
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.first { !cookieOctets[Int($0)] }
    }

    /// Whether `text` is printable ASCII without `;`: RFC 6265bis's
    /// attribute-value rule, which also keeps CR, LF and NUL out of headers.
    static func isSafeAttributeValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") }
    }
}
