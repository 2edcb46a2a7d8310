/// Spreads a value too big for one cookie over numbered chunk cookies and
/// joins them back.
///
/// A value that fits is written as is, in the cookie `name`. A larger one is
/// cut into parts: `name` holds `N~` followed by the first part, and the
/// cookies `name.1` … `name.<N-1>` hold the rest. A value that happens to start
/// with digits and `~` is written as `1~value`, so reading is unambiguous.
/// When a value shrinks, the chunk cookies it no longer needs are deleted.
///
/// Chunking adds no trust: the joined value must still be verified (a sealed
/// or signed token covers all of it, so a missing, reordered or swapped part
/// fails verification).
public struct CookieChunker: Sendable {
    /// The most cookies one value may take; past it ``ChunkingError/tooManyChunks(needed:limit:)``.
    public let maximumChunks: Int

    /// The most chunks allowed: 12 full cookies (about 48 KB) still fit in
    /// the header bytes ``RequestCookies`` reads, with room for other cookies.
    public static let chunkLimit = 12

    /// - Parameter maximumChunks: 1 to ``chunkLimit``; 5 by default (about
    ///   20 KB, well inside browsers' per-domain cookie and header limits).
    public init(maximumChunks: Int = 5) {
        self.maximumChunks = min(max(maximumChunks, 1), Self.chunkLimit)
    }

    /// The name of the chunk cookie `index` (1-based) of `name`.
    public static func chunkName(_ name: String, index: Int) -> String { "\(name).\(index)" }

    /// The cookies that store `value` under `name`, using `template` for the
    /// attributes, plus deletions of stale chunks found in `request`.
    /// - Throws: ``ChunkingError/tooManyChunks(needed:limit:)``.
    public func cookies(name: String, value: String, template: SetCookie, request: RequestCookies) throws(ChunkingError) -> [SetCookie] {
        let valueBytes = Array(value.utf8)
        let singleBudget = SetCookie.maximumNameValueBytes - name.utf8.count
        var parts: [ArraySlice<UInt8>]
        if valueBytes.count <= singleBudget && Self.countPrefix(valueBytes[...]) == nil {
            parts = [valueBytes[...]]
        } else {
            let chunkNameBytes = Self.chunkName(name, index: maximumChunks).utf8.count
            let partBudget = SetCookie.maximumNameValueBytes - max(chunkNameBytes, name.utf8.count + 3)
            guard partBudget > 0 else { throw .tooManyChunks(needed: Int.max, limit: maximumChunks) }
            let needed = (valueBytes.count + partBudget - 1) / partBudget
            guard needed <= maximumChunks else { throw .tooManyChunks(needed: needed, limit: maximumChunks) }
            parts = stride(from: 0, to: max(valueBytes.count, 1), by: partBudget).map {
                valueBytes[$0..<min($0 + partBudget, valueBytes.count)]
            }
            parts[0] = Array("\(parts.count)~".utf8)[...] + parts[0]
        }
        var result: [SetCookie] = []
        for (index, part) in parts.enumerated() {
            var cookie = template
            cookie.name = index == 0 ? name : Self.chunkName(name, index: index)
            cookie.value = String(decoding: part, as: UTF8.self)
            result.append(cookie)
        }
        for index in parts.count..<max(parts.count, maximumChunks) where !request.values(named: Self.chunkName(name, index: index)).isEmpty {
            var stale = template
            stale.name = Self.chunkName(name, index: index)
            result.append(stale.deletion())
        }
        return result
    }

    /// The candidate values stored under `name`: one per `name` cookie sent
    /// (a sibling domain may have added a second one), with chunked values
    /// joined. A chunked value whose parts are missing or sent twice is left
    /// out (fail closed).
    public func values(name: String, request: RequestCookies) -> [String] {
        request.values(named: name).compactMap { first in
            let bytes = Array(first.utf8)
            guard let (count, bodyStart) = Self.countPrefix(bytes[...]) else { return first }
            guard count >= 1, count <= maximumChunks else { return nil }
            var joined = Array(bytes[bodyStart...])
            for index in 1..<max(count, 1) {
                let parts = request.values(named: Self.chunkName(name, index: index))
                guard parts.count == 1 else { return nil }
                joined.append(contentsOf: parts[0].utf8)
            }
            return String(decoding: joined, as: UTF8.self)
        }
    }

    /// The chunk count of a first part `N~…`, and where its body starts.
    private static func countPrefix(_ bytes: ArraySlice<UInt8>) -> (Int, Int)? {
        var count = 0
        var index = bytes.startIndex
        while index < bytes.endIndex, index - bytes.startIndex < 3, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            count = count * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > bytes.startIndex, index < bytes.endIndex, bytes[index] == UInt8(ascii: "~") else { return nil }
        return (count, index + 1)
    }
}

/// Why a value could not be stored in cookies.
public enum ChunkingError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManyChunks(needed: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooManyChunks(let needed, let limit):
            return "value needs \(needed == Int.max ? "more" : String(needed)) cookies but at most \(limit) are allowed; store less in the cookie or use a server-side session"
        }
    }
}
