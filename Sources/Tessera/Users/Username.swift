/// A login name as users are filed under it: ASCII letters, digits and
/// `. _ @ + -`, 1 to 64 characters, compared without regard to case.
///
/// `Alice` and `alice` are one user (stored lowercased), and a name with a
/// space, a control character, a non-ASCII look-alike or 65 characters is
/// refused, so no two accounts can look the same on a screen and no login
/// name smuggles markup into a page or a log line.
public struct Username: Sendable, Hashable, CustomStringConvertible {
    /// The most characters a login name has.
    public static let maximumLength = 64

    /// The normalised (lowercased) name.
    public let value: String

    /// `text` lowercased, or `nil` if it is not an acceptable login name.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else { return nil }
        value = String(decoding: bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    public var description: String { value }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
