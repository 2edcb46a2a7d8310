/// A route whose unsafe requests skip the CSRF check entirely, such as a
/// webhook that other sites post to. Every bypass is a hole: keep the list
/// short and the patterns narrow.
///
/// The syntax follows Go's `ServeMux` patterns, without hosts:
///
/// | Pattern            | Matches                               | Does not match                  |
/// |--------------------|---------------------------------------|---------------------------------|
/// | `/hooks/`          | `/hooks/`, `/hooks/github/push`       | `/hooks`, `/foo/../hooks/x`     |
/// | `/hooks`           | `/hooks`                              | `/hooks/`, `/hooks/x`           |
/// | `/only/{id}`       | `/only/123`                           | `/only/`, `/only/123/foo`       |
/// | `POST /post-only/` | POST to `/post-only/…`                | PUT or DELETE to the same paths |
///
/// - A trailing `/` matches the whole subtree; without it the match is exact.
/// - `{name}` matches exactly one non-empty path segment.
/// - An optional method in front restricts the pattern to that method.
///
/// Paths are compared as sent, segment by segment and case-sensitively,
/// after cutting any `?query` or `#fragment`. A path that is not already
/// in canonical form (one with `.` or `..` segments, `//`, a backslash,
/// control bytes or an escaped `.`, `/` or `\`) matches no pattern at all,
/// because the router may resolve it to a different route than the one
/// the pattern names. Such a request is checked, not bypassed: a spelling
/// the pattern did not expect fails closed.
public struct CSRFBypassPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case wildcard
    }

    /// The method the pattern is restricted to, or `nil` for every method.
    public let method: String?
    let segments: [Segment]
    let matchesSubtree: Bool
    /// The pattern as written.
    public let description: String

    /// Parses `"[METHOD ]/path"`; `nil` when the text is not a pattern.
    public init?(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        var pathStart = 0
        if let space = bytes.firstIndex(of: UInt8(ascii: " ")) {
            let method = bytes[..<space]
            guard !method.isEmpty, method.allSatisfy(Self.isMethodCharacter) else { return nil }
            self.method = String(decoding: method, as: UTF8.self)
            pathStart = space + 1
        } else {
            self.method = nil
        }
        let path = bytes[pathStart...]
        guard path.first == UInt8(ascii: "/") else { return nil }
        var parts = path.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        matchesSubtree = parts.last?.isEmpty ?? false
        if matchesSubtree { parts.removeLast() }
        var segments: [Segment] = []
        for part in parts {
            guard let segment = Self.segment(part) else { return nil }
            segments.append(segment)
        }
        self.segments = segments
        self.description = pattern
    }

    /// Whether a request with this method and path skips the check.
    public func matches(method requestMethod: String, path: String) -> Bool {
        if let method, method != requestMethod { return false }
        guard let requestSegments = Self.canonicalSegments(of: path) else { return false }
        if matchesSubtree {
            // "/bypass/" needs at least the trailing slash: ["bypass", ""].
            guard requestSegments.count > segments.count else { return false }
        } else {
            guard requestSegments.count == segments.count else { return false }
        }
        for (segment, requestSegment) in zip(segments, requestSegments) {
            switch segment {
            case .literal(let literal):
                guard requestSegment.elementsEqual(literal.utf8) else { return false }
            case .wildcard:
                guard !requestSegment.isEmpty else { return false }
            }
        }
        return true
    }

    // MARK: - Parsing

    static func segment(_ bytes: ArraySlice<UInt8>) -> Segment? {
        guard !bytes.isEmpty else { return nil }
        if bytes.first == UInt8(ascii: "{") {
            let name = bytes.dropFirst().dropLast()
            guard bytes.last == UInt8(ascii: "}"), let first = name.first,
                  !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                  name.allSatisfy({ CSRFOrigin.isAlphanumeric($0) || $0 == UInt8(ascii: "_") })
            else { return nil }
            return .wildcard
        }
        let forbidden: Set<UInt8> = [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\")]
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }),
              !bytes.elementsEqual(".".utf8), !bytes.elementsEqual("..".utf8)
        else { return nil }
        return .literal(String(decoding: bytes, as: UTF8.self))
    }

    /// The path's segments after the leading `/` (a trailing `/` gives a
    /// final empty segment), or `nil` when the path is not canonical.
    static func canonicalSegments(of path: String) -> [ArraySlice<UInt8>]? {
        var bytes = Array(path.utf8)
        if let end = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            bytes.removeSubrange(end...)
        }
        guard bytes.first == UInt8(ascii: "/"),
              bytes.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\\") }),
              !containsEscapedSeparator(bytes)
        else { return nil }
        let segments = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty && index != segments.count - 1 { return nil }   // "//"
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return nil }
        }
        return segments
    }

    /// `%2e`, `%2f` or `%5c` in any case: a dot, slash or backslash that a
    /// later decoding step could turn into path structure.
    static func containsEscapedSeparator(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                let high = CSRFOrigin.lowercase(bytes[index + 1]), low = CSRFOrigin.lowercase(bytes[index + 2])
                if (high == UInt8(ascii: "2") && (low == UInt8(ascii: "e") || low == UInt8(ascii: "f")))
                    || (high == UInt8(ascii: "5") && low == UInt8(ascii: "c")) {
                    return true
                }
            }
            index += 1
        }
        return false
    }

    /// An HTTP token character (RFC 9110 `tchar`).
    static func isMethodCharacter(_ byte: UInt8) -> Bool {
        CSRFOrigin.isAlphanumeric(byte) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
}
