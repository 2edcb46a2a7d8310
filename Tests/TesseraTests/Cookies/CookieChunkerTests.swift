import Foundation
import Testing
@testable import Tessera

@Suite("CookieChunker")
struct CookieChunkerTests {
    private static let template = SetCookie(name: "ignored", value: "", path: "/", sameSite: .strict)

    /// The `Cookie` header a browser would send back for these cookies.
    private static func requestHeader(_ cookies: [SetCookie]) -> RequestCookies {
        RequestCookies(header: cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))
    }

    /// Expects the cookies, sent back as a `Cookie` header, to join to exactly
    /// one candidate equal to `value` (reported without printing tens of
    /// kilobytes of value).
    private static func expectJoinsBack(
        _ value: String, chunker: CookieChunker, name: String, cookies: [SetCookie],
        _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let candidates = chunker.values(name: name, request: requestHeader(cookies))
        if candidates.count != 1 {
            Issue.record("\(comment) expected 1 joined candidate, got \(candidates.count)", sourceLocation: sourceLocation)
        } else if candidates[0] != value {
            Issue.record("\(comment) joined value (\(candidates[0].utf8.count) bytes) differs from the original (\(value.utf8.count) bytes)", sourceLocation: sourceLocation)
        }
    }

    /// The cookies for a value written when the request carries no chunks yet.
    private static func firstWrite(_ value: String, with chunker: CookieChunker, name: String = "sid") throws(ChunkingError) -> [SetCookie] {
        try chunker.cookies(name: name, value: value, template: template, request: RequestCookies(header: ""))
    }

    private static func payload(_ count: Int, seed: UInt64 = 1) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        var state = seed
        return String((0..<count).map { _ -> Character in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int(state >> 33) % alphabet.count]
        })
    }

    @Test func smallValueStaysOneCookie() throws {
        let chunker = CookieChunker()
        let cookies = try Self.firstWrite("abc", with: chunker)
        #expect(cookies.count == 1)
        #expect(cookies.first?.name == "sid")
        #expect(cookies.first?.value == "abc")
        #expect(try cookies.first?.headerValue(publicSuffixes: .builtIn) == "sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict")
        #expect(chunker.values(name: "sid", request: Self.requestHeader(cookies)) == ["abc"])

        // The largest value that fits stays a single cookie.
        let largest = Self.payload(4096 - 3)
        let single = try Self.firstWrite(largest, with: chunker)
        #expect(single.map(\.name) == ["sid"])
        #expect(single.first?.value == largest)

        // Empty value.
        let empty = try Self.firstWrite("", with: chunker)
        #expect(empty.map(\.value) == [""])
    }

    @Test func largeValueSplitsWithinLimitsAndJoinsBack() throws {
        let chunker = CookieChunker()
        let value = Self.payload(10_000)
        let cookies = try Self.firstWrite(value, with: chunker)
        #expect(cookies.count == 3)
        #expect(cookies.map(\.name) == ["sid", "sid.1", "sid.2"])
        #expect(cookies.first?.value.hasPrefix("3~") == true)
        for cookie in cookies {
            #expect(cookie.name.utf8.count + cookie.value.utf8.count <= 4096, "\(cookie.name)")
            // Attributes come from the template.
            #expect(cookie.path == "/" && cookie.secure && cookie.httpOnly && cookie.sameSite == .strict)
            #expect(throws: Never.self) { try cookie.headerValue(publicSuffixes: .builtIn) }
        }
        // Sent back in a Cookie header, the parts join to exactly the value.
        let request = Self.requestHeader(cookies)
        #expect(request.pairs.map(\.name) == ["sid", "sid.1", "sid.2"])
        #expect(request.pairs.map(\.value).joined() == cookies.map(\.value).joined())
        Self.expectJoinsBack(value, chunker: chunker, name: "sid", cookies: cookies)
        // Order of the cookies in the request does not matter.
        Self.expectJoinsBack(value, chunker: chunker, name: "sid", cookies: cookies.reversed())

        // Exactly at the boundary of a part, and one byte more.
        for size in [4094, 4090 * 2, 4090 * 2 + 1, 4090 * 5] {
            let sized = Self.payload(size, seed: UInt64(size))
            let parts = try Self.firstWrite(sized, with: chunker)
            #expect(parts.allSatisfy { $0.name.utf8.count + $0.value.utf8.count <= 4096 }, "size \(size)")
            Self.expectJoinsBack(sized, chunker: chunker, name: "sid", cookies: parts, "size \(size)")
        }
    }

    @Test func longNamesAndManyChunksStayWithinLimits() throws {
        let chunker = CookieChunker(maximumChunks: CookieChunker.chunkLimit)
        #expect(chunker.maximumChunks == 12)
        let name = "__Host-" + String(repeating: "n", count: 40)
        // 10 chunks of 4046 bytes ("name.12" is 50 bytes long).
        let value = Self.payload(40_000)
        let cookies = try Self.firstWrite(value, with: chunker, name: name)
        #expect(cookies.count == 10)
        #expect(cookies.first?.value.hasPrefix("10~") == true)
        for cookie in cookies {
            #expect(cookie.name.utf8.count + cookie.value.utf8.count <= 4096, "\(cookie.name)")
            #expect(throws: Never.self) { try cookie.headerValue(publicSuffixes: .builtIn) }
        }
        Self.expectJoinsBack(value, chunker: chunker, name: name, cookies: cookies)
    }

    /// Whatever the chunker agrees to write must be readable by Tessera's own
    /// `Cookie` parser; otherwise a session silently disappears.
    @Test func largestAcceptedValueIsReadableByRequestCookies() throws {
        let chunker = CookieChunker(maximumChunks: 100)
        // 12 parts of 4090 bytes: the largest value the chunker accepts for "sid".
        let value = Self.payload(12 * 4090)
        let cookies = try Self.firstWrite(value, with: chunker)
        #expect(cookies.count == 12)
        #expect(throws: ChunkingError.tooManyChunks(needed: 13, limit: 12)) {
            try Self.firstWrite(value + "x", with: chunker)
        }
        let header = cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        #expect(header.utf8.count <= RequestCookies.maximumHeaderBytes,
                "the chunker writes \(header.utf8.count) bytes of cookies but RequestCookies reads at most \(RequestCookies.maximumHeaderBytes)")
        Self.expectJoinsBack(value, chunker: chunker, name: "sid", cookies: cookies)
    }

    @Test func maximumChunksIsClamped() {
        #expect(CookieChunker().maximumChunks == 5)
        #expect(CookieChunker(maximumChunks: 0).maximumChunks == 1)
        #expect(CookieChunker(maximumChunks: -3).maximumChunks == 1)
        #expect(CookieChunker(maximumChunks: 100).maximumChunks == CookieChunker.chunkLimit)
        #expect(CookieChunker.chunkName("sid", index: 3) == "sid.3")
    }

    @Test func tooManyChunksThrows() {
        let value = Self.payload(10_000)
        #expect(throws: ChunkingError.tooManyChunks(needed: 3, limit: 2)) {
            try Self.firstWrite(value, with: CookieChunker(maximumChunks: 2))
        }
        #expect(throws: ChunkingError.tooManyChunks(needed: 7, limit: 5)) {
            try Self.firstWrite(Self.payload(25_000), with: CookieChunker())
        }
        // A name too long to leave room for any value.
        let error = #expect(throws: ChunkingError.self) {
            try Self.firstWrite("x", with: CookieChunker(), name: String(repeating: "n", count: 5000))
        }
        if case .tooManyChunks(_, let limit)? = error { #expect(limit == 5) }
        #expect(ChunkingError.tooManyChunks(needed: 3, limit: 2).description.contains("3 cookies"))
        #expect(!ChunkingError.tooManyChunks(needed: 3, limit: 2).description.contains(value))
    }

    @Test func shrinkingValueDeletesStaleChunksPresentInRequest() throws {
        let chunker = CookieChunker()
        let big = try Self.firstWrite(Self.payload(12_000), with: chunker)
        #expect(big.map(\.name) == ["sid", "sid.1", "sid.2"])
        let previous = Self.requestHeader(big + [SetCookie(name: "unrelated", value: "1")])

        // Down to one cookie: sid.1 and sid.2 are deleted, nothing else.
        let small = try chunker.cookies(name: "sid", value: "tiny", template: Self.template, request: previous)
        #expect(small.map(\.name) == ["sid", "sid.1", "sid.2"])
        #expect(small[0].value == "tiny")
        for stale in small.dropFirst() {
            #expect(stale.value == "" && stale.maxAge == 0 && stale.expires == Date(timeIntervalSince1970: 0))
            #expect(stale.path == "/" && stale.secure && stale.sameSite == .strict)
            #expect(try stale.headerValue(publicSuffixes: .builtIn).hasPrefix("\(stale.name)=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
        }

        // Down to two chunks: only sid.2 is deleted.
        let medium = try chunker.cookies(name: "sid", value: Self.payload(5_000), template: Self.template, request: previous)
        #expect(medium.map(\.name) == ["sid", "sid.1", "sid.2"])
        #expect(medium[1].value.isEmpty == false)
        #expect(medium[2].maxAge == 0 && medium[2].value.isEmpty)

        // Nothing stale in the request: no deletions.
        let fresh = try chunker.cookies(name: "sid", value: "tiny", template: Self.template, request: RequestCookies(header: "sid=old"))
        #expect(fresh.map(\.name) == ["sid"])
    }

    @Test func missingOrDuplicatedChunkYieldsNoCandidate() throws {
        let chunker = CookieChunker()
        let value = Self.payload(10_000)
        let cookies = try Self.firstWrite(value, with: chunker)
        #expect(cookies.count == 3)

        let missing = Self.requestHeader(cookies.filter { $0.name != "sid.1" })
        #expect(chunker.values(name: "sid", request: missing).isEmpty)

        let duplicated = Self.requestHeader(cookies + [SetCookie(name: "sid.2", value: "tossed")])
        #expect(chunker.values(name: "sid", request: duplicated).isEmpty)

        // A count over the reader's limit, or zero, is refused.
        #expect(chunker.values(name: "sid", request: RequestCookies(header: "sid=9~abc")).isEmpty)
        #expect(chunker.values(name: "sid", request: RequestCookies(header: "sid=0~abc")).isEmpty)

        // Two `sid` cookies (cookie tossing): each is a separate candidate, in order.
        let tossed = RequestCookies(header: "sid=attacker; " + cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))
        let candidates = chunker.values(name: "sid", request: tossed)
        #expect(candidates.count == 2)
        #expect(candidates.first == "attacker")
        #expect(candidates.last.map { $0 == value } == true)
    }

    @Test func valueThatLooksLikeACountPrefixRoundTrips() throws {
        let chunker = CookieChunker()
        for value in ["12~", "12~abc", "1~x", "3~", "0~", "999~z", "5~" + Self.payload(5000)] {
            let cookies = try Self.firstWrite(value, with: chunker)
            #expect(cookies.first?.value != value, "value \(value.prefix(8)) must be escaped")
            Self.expectJoinsBack(value, chunker: chunker, name: "sid", cookies: cookies, "value \(value.prefix(8))")
        }
        // Not a count prefix (four digits, or no digits): written as is.
        for value in ["1234~x", "~1", "12", "a1~"] {
            let cookies = try Self.firstWrite(value, with: chunker)
            #expect(cookies.map(\.value) == [value])
            #expect(chunker.values(name: "sid", request: Self.requestHeader(cookies)) == [value])
        }
        let escaped = try Self.firstWrite("12~abc", with: chunker)
        #expect(escaped.map(\.value) == ["1~12~abc"])
        // Also with a one-chunk limit.
        let one = CookieChunker(maximumChunks: 1)
        let cookies = try Self.firstWrite("12~abc", with: one)
        #expect(one.values(name: "sid", request: Self.requestHeader(cookies)) == ["12~abc"])
    }
}
