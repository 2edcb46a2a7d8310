/// The cookies of a request, parsed from its `Cookie` header(s) leniently
/// (RFC 6265bis §5.4 and §4.2.1).
///
/// - Pairs are split on `;`, names and values trimmed of spaces and tabs,
///   each pair split at its first `=` (`NID=99=Ys` is `NID` = `99=Ys`).
/// - Empty and malformed pairs (no `=`, empty name) are skipped; nothing throws.
/// - A value wrapped in one pair of double quotes is returned without them
///   (as Go does), so `c="v"` reads as `v`; Tessera never writes quotes, so
///   its signed values are verified over exactly the bytes it sent.
/// - Duplicate names are all kept, in order: a sibling subdomain can "toss"
///   a second cookie of the same name, and a secure reader must look at every
///   value (``values(named:)``) rather than trust the first.
/// - At most ``maximumCount`` pairs from at most ``maximumHeaderBytes`` bytes
///   are read; the rest is ignored.
public struct RequestCookies: Sendable, Sequence {
    /// One `name=value` pair as sent.
    public struct Pair: Sendable, Hashable {
        /// The cookie name.
        public let name: String
        /// The value, without one pair of surrounding quotes.
        public let value: String
    }

    /// The most pairs read from one request.
    public static let maximumCount = 256
    /// The most header bytes read from one request.
    public static let maximumHeaderBytes = 64 * 1024

    /// Every pair, in the order sent.
    public let pairs: [Pair]

    /// Parses one or more `Cookie` header field values.
    public init<Headers: Sequence>(headers: Headers) where Headers.Element == String {
        self.init(headers: headers) { _ in true }
    }

    /// Parses `headers` but keeps only the pairs whose name passes
    /// `isWanted`: the same reading as ``init(headers:)`` (limits included),
    /// without building strings for cookies the caller will never look at.
    ///
    /// ```swift
    /// let cookies = RequestCookies(headers: cookieHeaders) { $0 == "sid" }
    /// ```
    ///
    /// Inlinable, so a caller's header sequence is iterated by code
    /// specialised for it: unspecialised, walking Hummingbird's header
    /// fields cost as much as parsing them.
    @inlinable
    public init<Headers: Sequence>(headers: Headers, keeping isWanted: (Substring) -> Bool) where Headers.Element == String {
        var pairs: [Pair] = []
        var budget = Self.maximumHeaderBytes
        var read = 0
        for header in headers {
            guard budget > 0, read < Self.maximumCount else { break }
            var header = header
            header.withUTF8 { bytes in
                var field = bytes[...]
                if field.count > budget {
                    // Keep whole pairs only: a pair cut at the limit is dropped, not read short.
                    field = field.prefix(budget)
                    field = field[..<(field.lastIndex(of: UInt8(ascii: ";")) ?? field.startIndex)]
                }
                budget -= field.count
                Self.parse(field, read: &read, isWanted: isWanted, into: &pairs)
            }
        }
        self.pairs = pairs
    }

    /// Parses a single `Cookie` header field value.
    public init(header: String) {
        self.init(headers: CollectionOfOne(header))
    }

    /// Reads the `;`-separated pairs of one header's bytes, in place: only
    /// the kept names and values become strings.
    @usableFromInline
    static func parse(
        _ field: Slice<UnsafeBufferPointer<UInt8>>, read: inout Int, isWanted: (Substring) -> Bool, into pairs: inout [Pair]
    ) {
        var start = field.startIndex
        while start < field.endIndex, read < maximumCount {
            let end = field[start...].firstIndex(of: UInt8(ascii: ";")) ?? field.endIndex
            let segment = field[start..<end]
            start = end < field.endIndex ? end + 1 : end
            guard let equals = segment.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = trim(segment[segment.startIndex..<equals])
            guard !name.isEmpty else { continue }
            read += 1
            let nameText = Substring(String(decoding: name, as: UTF8.self))
            guard isWanted(nameText) else { continue }
            var value = trim(segment[(equals + 1)...])
            if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            pairs.append(Pair(name: String(nameText), value: String(decoding: value, as: UTF8.self)))
        }
    }

    private static func trim(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }

    /// Every value sent under `name`, in order.
    public func values(named name: String) -> [String] {
        pairs.lazy.filter { $0.name == name }.map(\.value)
    }

    /// The first value sent under `name`. Prefer ``values(named:)`` for
    /// anything that authenticates (see the type's discussion of duplicates).
    public func first(named name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public func makeIterator() -> IndexingIterator<[Pair]> { pairs.makeIterator() }
}
