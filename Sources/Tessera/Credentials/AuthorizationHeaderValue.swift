/// One `Authorization` header value split into its scheme and what follows
/// it (RFC 9110 §11.4: `credentials = auth-scheme [ 1*SP ( token68 / … ) ]`).
///
/// Splitting works on the UTF-8 bytes and never allocates: it runs on every
/// request that carries the header, so it avoids Foundation's
/// `CharacterSet` trimming and `lowercased()`, which made the bearer token
/// the costliest step of a JWT-authenticated request.
///
/// ```swift
/// let value = AuthorizationHeaderValue("Bearer eyJhbGciOi…")
/// value.hasScheme("bearer")  // true: schemes compare without regard to ASCII case
/// value.parameters           // "eyJhbGciOi…"
/// ```
public struct AuthorizationHeaderValue: Sendable, Equatable {
    /// The scheme as sent (`Bearer`, `basic`, …): the text before the first space, leading spaces skipped.
    public let scheme: Substring
    /// What follows the scheme, without the spaces and tabs around it; empty when nothing does.
    public let parameters: Substring

    /// Splits `value`.
    public init(_ value: String) {
        let bytes = value.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == Self.space { bytes.formIndex(after: &start) }
        var schemeEnd = start
        while schemeEnd < bytes.endIndex, bytes[schemeEnd] != Self.space { bytes.formIndex(after: &schemeEnd) }
        var first = schemeEnd
        var last = bytes.endIndex
        while first < last, Self.isSpaceOrTab(bytes[first]) { bytes.formIndex(after: &first) }
        while last > first, Self.isSpaceOrTab(bytes[bytes.index(before: last)]) { bytes.formIndex(before: &last) }
        // Every index above sits next to an ASCII space or tab, or at an end,
        // so each is a character boundary of `value`.
        scheme = value[start..<schemeEnd]
        parameters = value[first..<last]
    }

    /// Whether the scheme is `name`, compared without regard to ASCII case
    /// (auth schemes are case-insensitive); `name` is given in lowercase.
    public func hasScheme(_ name: String) -> Bool {
        guard scheme.utf8.count == name.utf8.count else { return false }
        return zip(scheme.utf8, name.utf8).allSatisfy { Self.asciiLowercased($0) == $1 }
    }

    private static let space = UInt8(ascii: " ")

    private static func isSpaceOrTab(_ byte: UInt8) -> Bool {
        byte == space || byte == UInt8(ascii: "\t")
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
