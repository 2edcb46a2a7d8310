import Foundation
import Testing
@testable import Tessera

/// Security checklist section 4.2 (K-14 … K-17): parsing the `Cookie`
/// request header.
@Suite("RequestCookies parser (CHECKLIST 4.2)")
struct RequestCookiesParserTests {
    private static func dictionary(_ cookies: RequestCookies) -> [String: String] {
        Dictionary(cookies.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func test_K_14_split_on_semicolon_first_equals_never_throws() {
        for header in ["a=1;b=2", "a=1; b=2;", "a=1 ;\tb=2", " a = 1 ; b=2 ", "a=1;;; b=2", "a=1; junk; b=2", "a=1; =x; b=2"] {
            let cookies = RequestCookies(header: header)
            #expect(cookies.pairs == [.init(name: "a", value: "1"), .init(name: "b", value: "2")], "header \(header.debugDescription)")
        }
        #expect(Self.dictionary(RequestCookies(header: ";;a=1")) == ["a": "1"])
        #expect(RequestCookies(header: ";;a=1").pairs.count == 1)

        // Split at the first '='.
        let nid = RequestCookies(header: "NID=99=Ys")
        #expect(nid.pairs == [.init(name: "NID", value: "99=Ys")])
        #expect(nid.first(named: "NID") == "99=Ys")
        #expect(RequestCookies(header: "a==").first(named: "a") == "=")

        // Empty value kept, empty / missing name skipped.
        #expect(RequestCookies(header: "a=").pairs == [.init(name: "a", value: "")])
        #expect(RequestCookies(header: "=").pairs.isEmpty)
        #expect(RequestCookies(header: "=v").pairs.isEmpty)
        #expect(RequestCookies(header: "novalue").pairs.isEmpty)
        #expect(RequestCookies(header: "").pairs.isEmpty)
        #expect(RequestCookies(header: "; ;  ;").pairs.isEmpty)

        // Several header lines are read in order.
        let multi = RequestCookies(headers: ["a=1; b=2", "c=3"])
        #expect(multi.pairs.map(\.name) == ["a", "b", "c"])
        #expect(multi.map(\.value) == ["1", "2", "3"])
        #expect(multi.first(named: "missing") == nil)
        #expect(multi.values(named: "missing").isEmpty)
    }

    @Test func test_K_15_one_pair_of_surrounding_quotes_is_stripped() throws {
        #expect(RequestCookies(header: "c=\"v\"").first(named: "c") == "v")
        #expect(RequestCookies(header: "c= \"v\" ").first(named: "c") == "v")
        #expect(RequestCookies(header: "c=\"\"").first(named: "c") == "")
        // Only one pair, only when both ends are quotes.
        #expect(RequestCookies(header: "c=\"\"v\"\"").first(named: "c") == "\"v\"")
        #expect(RequestCookies(header: "c=\"").first(named: "c") == "\"")
        #expect(RequestCookies(header: "c=\"v").first(named: "c") == "\"v")
        #expect(RequestCookies(header: "c=v\"").first(named: "c") == "v\"")
        #expect(RequestCookies(header: "c=a\"b\"c").first(named: "c") == "a\"b\"c")

        // A signed value round-trips byte-exactly through Set-Cookie and Cookie.
        let ring = try KeyRing(single: SecretKey(bytes: [UInt8](repeating: 7, count: 32)))
        let codec = SignedValueCodec(ring: ring, purpose: KeyPurpose("session"))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let token = try codec.sign("user-42 ✓", name: "sid", now: now)
        let header = try SetCookie(name: "sid", value: token).headerValue(publicSuffixes: .builtIn)
        #expect(header.hasPrefix("sid=\(token); "))
        let sent = String(header.split(separator: ";", maxSplits: 1)[0])
        let received = try #require(RequestCookies(header: "other=1; \(sent); x=\"y\"").first(named: "sid"))
        #expect(Array(received.utf8) == Array(token.utf8))
        #expect(codec.verifyString(received, name: "sid", maxAge: 60, now: now).value == "user-42 ✓")
        // Quoted by a proxy: still the same bytes after stripping.
        let quoted = try #require(RequestCookies(header: "sid=\"\(token)\"").first(named: "sid"))
        #expect(quoted == token)
    }

    @Test func test_K_16_duplicate_names_kept_in_order() throws {
        let cookies = RequestCookies(header: "sid=attacker; other=1; sid=legit; sid=third")
        #expect(cookies.values(named: "sid") == ["attacker", "legit", "third"])
        #expect(cookies.first(named: "sid") == "attacker")
        #expect(cookies.pairs.count == 4)
        // Across header lines too.
        #expect(RequestCookies(headers: ["sid=a", "sid=b"]).values(named: "sid") == ["a", "b"])
        // Names are case-sensitive.
        #expect(RequestCookies(header: "SID=x; sid=y").values(named: "sid") == ["y"])

        // A secure reader tries every value; a tossed cookie signed with the
        // attacker's own key never authenticates, whichever order it comes in.
        let legitRing = try KeyRing(single: SecretKey(bytes: [UInt8](repeating: 1, count: 32)))
        let attackerRing = try KeyRing(single: SecretKey(bytes: [UInt8](repeating: 2, count: 32)))
        let codec = SignedValueCodec(ring: legitRing, purpose: KeyPurpose("session"))
        let attackerCodec = SignedValueCodec(ring: attackerRing, purpose: KeyPurpose("session"))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let legit = try codec.sign("victim-session", name: "sid", now: now)
        let forged = try attackerCodec.sign("attacker-session", name: "sid", now: now)
        for header in ["sid=\(forged); sid=\(legit)", "sid=\(legit); sid=\(forged)"] {
            let request = RequestCookies(header: header)
            let accepted = request.values(named: "sid").compactMap { codec.verifyString($0, name: "sid", maxAge: 3600, now: now).value }
            #expect(accepted == ["victim-session"])
        }
        // Only forged values: nothing authenticates (fail closed).
        let onlyForged = RequestCookies(header: "sid=\(forged); sid=garbage")
        #expect(onlyForged.values(named: "sid").allSatisfy { !codec.verify($0, name: "sid", maxAge: 3600, now: now).isValid })
    }

    @Test func test_K_17_limits_and_invalid_utf8_never_crash() {
        #expect(RequestCookies.maximumCount == 256)
        #expect(RequestCookies.maximumHeaderBytes == 65_536)

        // 300 pairs: the first 256 are read, in order.
        let many = (0..<300).map { "c\($0)=\($0)" }.joined(separator: "; ")
        let limited = RequestCookies(header: many)
        #expect(limited.pairs.count == 256)
        #expect(limited.pairs.first == .init(name: "c0", value: "0"))
        #expect(limited.pairs.last == .init(name: "c255", value: "255"))
        #expect(limited.first(named: "c256") == nil)
        // The count limit spans header lines.
        let split = RequestCookies(headers: [(0..<200).map { "a\($0)=1" }.joined(separator: ";"), (0..<200).map { "b\($0)=1" }.joined(separator: ";")])
        #expect(split.pairs.count == 256)
        #expect(split.pairs.last?.name == "b55")

        // Over 64 KiB: nothing past the first 65 536 bytes is read.
        let pair = "k" + String(repeating: "v", count: 1000)
        let big = (0..<100).map { "n\($0)=\(pair)" }.joined(separator: "; ")
        #expect(big.utf8.count > 65_536)
        let truncated = RequestCookies(header: big)
        let readBytes = truncated.pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 1 }
        #expect(readBytes <= 65_536)
        #expect(truncated.pairs.count < 100)
        #expect(truncated.first(named: "n99") == nil)
        #expect(truncated.first(named: "n0") == pair)
        // The byte budget spans header lines; a pair cut by the limit is
        // dropped rather than read short (a cut value is a wrong value).
        let lines = Array(repeating: "x=" + String(repeating: "y", count: 40_000), count: 3)
        let budgeted = RequestCookies(headers: lines)
        #expect(budgeted.pairs.count == 1)
        #expect(budgeted.pairs.allSatisfy { $0.value.utf8.count == 40_000 })
        // One huge header does not crash, and its cut pair is not returned.
        let huge = RequestCookies(header: "a=" + String(repeating: "z", count: 1_000_000))
        #expect(huge.pairs.isEmpty)

        // Arbitrary bytes (invalid UTF-8, NUL, CTLs, quotes) never crash,
        // and every pair has a non-empty name.
        var generator = TestRandom(seed: 0x7E55E7A)
        let alphabet: [UInt8] = Array("a=;\" \t\r\n\0".utf8) + [0x80, 0xBF, 0xC3, 0xE2, 0xF0, 0xFF, 0xFE, 0xED, 0xA0]
        for round in 0..<2_000 {
            let length = Int(generator.next() % 300)
            let bytes: [UInt8] = (0..<length).map { _ in
                let roll = generator.next()
                return roll % 2 == 0 ? alphabet[Int(roll / 2 % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: roll >> 8)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let cookies = RequestCookies(headers: [text, text])
            #expect(cookies.pairs.count <= 256, "round \(round)")
            #expect(cookies.pairs.allSatisfy { !$0.name.isEmpty }, "round \(round)")
            let kept = RequestCookies(headers: [text, text]) { $0.hasPrefix("a") }
            #expect(kept.pairs == cookies.pairs.filter { $0.name.hasPrefix("a") }, "round \(round)")
        }
        // A cut through a multi-byte character at the 64 KiB boundary: the
        // pair before it survives whole, the cut one is dropped.
        let boundary = "b=1; a=" + String(repeating: "x", count: 65_528) + "€€€"
        let cut = RequestCookies(header: boundary)
        #expect(cut.pairs.map(\.name) == ["b"])
    }

    /// The filtered reading (what the authenticators use) is the full
    /// reading with the other names left out: the same limits, the same
    /// order, the same duplicates, so a cookie past the 256th pair can't be
    /// smuggled in by filtering.
    @Test func test_K_17_filteredReadingKeepsTheLimitsAndDuplicates() {
        let many = (0..<300).map { "c\($0)=\($0)" }.joined(separator: "; ") + "; sid=late"
        #expect(RequestCookies(headers: [many]) { $0 == "sid" }.pairs.isEmpty)
        #expect(RequestCookies(headers: [many]) { $0 == "c255" }.pairs == [.init(name: "c255", value: "255")])
        #expect(RequestCookies(headers: [many]) { $0 == "c256" }.pairs.isEmpty)

        let tossed = RequestCookies(headers: ["theme=dark; sid=\"one\"", " sid=two ;other=x"]) { $0 == "sid" }
        #expect(tossed.values(named: "sid") == ["one", "two"])
        #expect(tossed.first(named: "theme") == nil)
    }
}
