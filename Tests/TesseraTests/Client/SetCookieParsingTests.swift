import Foundation
import Testing
import Tessera
@testable import TesseraClient

/// CHECKLIST rows K-18 to K-24: how one `Set-Cookie` header value is taken
/// apart (RFC 6265bis §5.6) and what the jar then keeps. Expectations come
/// from the row texts, the RFC and the http-state / Go jar test names cited.
@Suite("Set-Cookie parsing (CHECKLIST K-18…K-24)")
struct ClientSetCookieParsingTests {
    let now = JarFixture.now

    // MARK: - K-18 name and value

    @Test func test_K_18_nameAndValueEndAtTheFirstSemicolonSplitAtTheFirstEqualsAndAreTrimmed() throws {
        let parsed = try ReceivedSetCookie.parse("  sid = a=b=c ; Path=/").get()
        #expect(parsed.name == "sid")
        #expect(parsed.value == "a=b=c")
        #expect(parsed.path == "/")

        let tabs = try ReceivedSetCookie.parse("\tk\t=\tv\t;\tSecure").get()
        #expect(tabs.name == "k")
        #expect(tabs.value == "v")
        #expect(tabs.secure)
    }

    @Test func test_K_18_aSemicolonInsideQuotesStillEndsTheValueAndQuotesAreKept() throws {
        let quoted = try ReceivedSetCookie.parse(#"a="b;c"; Path=/x"#).get()
        #expect(quoted.value == #""b"#)
        #expect(quoted.path == "/x")

        let jar = JarFixture.jar()
        try jar.store(#"q="hello world""#, from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == #"q="hello world""#)
    }

    @Test func test_K_18_aHeaderWithoutEqualsIsANamelessCookieSentAsItsValue() throws {
        // RFC 6265bis (CHECKLIST §7 decision 2): `Set-Cookie: foo` is name "" value "foo".
        let parsed = try ReceivedSetCookie.parse("foo").get()
        #expect(parsed.name == "")
        #expect(parsed.value == "foo")

        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("foo; Path=/", from: "https://www.example.com/").stored)
        #expect(cookie.name == "")
        #expect(cookie.value == "foo")
        #expect(try jar.header(for: "https://www.example.com/") == "foo")
    }

    @Test func test_K_18_anEmptyNameBeforeEqualsIsAlsoNamelessAndAnEmptyValueKeepsItsEquals() throws {
        let jar = JarFixture.jar()
        try jar.store("=bar", from: "https://a.example.com/")
        #expect(try jar.header(for: "https://a.example.com/") == "bar")
        try jar.store("empty=", from: "https://b.example.com/")
        #expect(try jar.header(for: "https://b.example.com/") == "empty=")
    }

    @Test func test_K_18_aSecondNamelessCookieReplacesTheFirst() throws {
        // Both have the name "", the same host and path: one cookie (§5.7 identity).
        let jar = JarFixture.jar()
        try jar.store("foo", from: "https://www.example.com/")
        try jar.store("bar", from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == "bar")
        #expect(jar.allCookies(now: now).count == 1)
    }

    // MARK: - K-19 empty name and value

    @Test(arguments: ["=", " = ", "", "   ", "; Path=/", "=; Secure"])
    func test_K_19_anEmptyNameAndAnEmptyValueStoreNothing(_ header: String) throws {
        let jar = JarFixture.jar()
        #expect(try jar.store(header, from: "https://www.example.com/") == .rejected(.emptyNameAndValue))
        #expect(jar.allCookies(now: now).isEmpty)
    }

    // MARK: - K-20 control characters

    @Test(arguments: [
        "a=b\u{07}c", "a=b\u{00}c", "a\u{01}=b", "a=b\u{1F}", "a=b\u{7F}c", "a=b\nc", "a=b\rc",
        // In an attribute, too: the whole cookie goes.
        "a=b; Path=/\u{08}", "a=b; Secure\u{0B}", "a=b; Expires=Wed, 09 Dec 2029 16:27:23 GMT\u{0C}",
    ])
    func test_K_20_aControlCharacterAnywhereIgnoresTheWholeCookie(_ header: String) throws {
        let jar = JarFixture.jar()
        #expect(try jar.store(header, from: "https://www.example.com/") == .rejected(.controlCharacter))
        #expect(try jar.header(for: "https://www.example.com/") == nil)
    }

    @Test func test_K_20_aTabBetweenAttributesIsNotAControlCharacter() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=b;\tSecure;\tPath=/", from: "https://www.example.com/x/y").stored)
        #expect(cookie.secure)
        #expect(cookie.path == "/")
    }

    // MARK: - K-21 sizes

    @Test func test_K_21_nameAndValueOf4096BytesAreKeptAnd4097AreIgnored() throws {
        let jar = JarFixture.jar()
        let fits = "n=" + String(repeating: "v", count: 4095)
        #expect(try jar.store(fits, from: "https://www.example.com/").stored?.value.utf8.count == 4095)

        let tooLarge = "m=" + String(repeating: "v", count: 4096)
        #expect(try jar.store(tooLarge, from: "https://www.example.com/") == .rejected(.tooLarge(name: "m")))
        #expect(jar.only("m") == nil)
    }

    @Test func test_K_21_theLimitCountsBytesNotCharacters() throws {
        let jar = JarFixture.jar()
        // "é" is two bytes: 1 + 2 × 2047 = 4095, 1 + 2 × 2048 = 4097.
        #expect(try jar.store("n=" + String(repeating: "é", count: 2047), from: "https://www.example.com/").stored != nil)
        #expect(try jar.store("m=" + String(repeating: "é", count: 2048), from: "https://www.example.com/") == .rejected(.tooLarge(name: "m")))
    }

    @Test func test_K_21_anAttributeValueOf1024BytesIsUsedAnd1025IsIgnoredAlone() throws {
        let jar = JarFixture.jar()
        let path1024 = "/" + String(repeating: "p", count: 1023)
        let kept = try #require(try jar.store("a=1; Secure; Path=\(path1024)", from: "https://www.example.com/dir/page").stored)
        #expect(kept.path == path1024)

        let path1025 = "/" + String(repeating: "p", count: 1024)
        let dropped = try #require(try jar.store("b=2; Path=\(path1025); Secure", from: "https://www.example.com/dir/page").stored)
        #expect(dropped.path == "/dir", "the over-long Path is ignored, so the default path applies")
        #expect(dropped.secure, "only the over-long attribute is ignored, not the cookie or its other attributes")
    }

    // MARK: - K-22 attribute names

    @Test func test_K_22_attributeNamesAreCaseInsensitive() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=b; seCURe; HTTPonly; PATH=/p; max-AGE=60; SAMESITE=lax", from: "https://www.example.com/").stored)
        #expect(cookie.secure)
        #expect(cookie.httpOnly)
        #expect(cookie.path == "/p")
        #expect(cookie.expires == now.addingTimeInterval(60))
        #expect(cookie.sameSite == .lax)
    }

    @Test func test_K_22_secureWithAValueIsStillSecure() throws {
        // http-state ATTRIBUTE0005.
        let parsed = try ReceivedSetCookie.parse("foo=bar; Secure=aaaa").get()
        #expect(parsed.secure)
    }

    @Test func test_K_22_theLastOccurrenceOfAnAttributeWins() throws {
        // ATTRIBUTE0021 / ATTRIBUTE0022.
        #expect(try ReceivedSetCookie.parse("foo=bar; Path=/qux; Path=/").get().path == "/")
        #expect(try ReceivedSetCookie.parse("foo=bar; Path=/; Path=/qux").get().path == "/qux")

        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store(
            "a=b; Max-Age=10; Max-Age=20; Domain=www.example.com; Domain=example.com; SameSite=Strict; SameSite=Lax",
            from: "https://www.example.com/").stored)
        #expect(cookie.expires == now.addingTimeInterval(20))
        #expect(cookie.domain == "example.com")
        #expect(!cookie.hostOnly)
        #expect(cookie.sameSite == .lax)
    }

    @Test func test_K_22_pathAttributeSetAtRootIsSentBelowItButTheOtherOrderIsNot() throws {
        let jar = JarFixture.jar()
        try jar.store("first=1; Path=/qux; Path=/", from: "https://www.example.com/")
        try jar.store("second=2; Path=/; Path=/qux", from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == "first=1")
    }

    @Test func test_K_22_unknownAttributesAreIgnored() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=b; Priority=High; Partitioned2; Foo=bar; Version=1", from: "https://www.example.com/x").stored)
        #expect(cookie.value == "b")
        #expect(cookie.path == "/")
        #expect(!cookie.secure && !cookie.httpOnly && cookie.expires == nil && cookie.sameSite == nil)
    }

    // MARK: - K-23 a bad date drops the attribute only

    @Test func test_K_23_aBadExpiresDropsOnlyTheAttribute() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=b; Expires=not a date; Secure", from: "https://www.example.com/").stored)
        #expect(cookie.expires == nil, "a session cookie")
        #expect(cookie.secure)
        // A bad later Expires does not undo a good earlier one.
        let kept = try #require(try jar.store("c=d; Expires=Sat, 01 Jun 2024 00:00:00 GMT; Expires=99 Foo 2024", from: "https://www.example.com/").stored)
        #expect(kept.expires == Date(timeIntervalSince1970: 1_717_200_000))
    }

    @Test func test_K_23_aPastExpiresDeletesTheCookie() throws {
        let jar = JarFixture.jar()
        try jar.store("a=b", from: "https://www.example.com/")
        #expect(try jar.store("a=b; Expires=Wed, 09 Dec 2009 16:27:23 GMT", from: "https://www.example.com/") == .deleted(removedExisting: true))
        #expect(try jar.header(for: "https://www.example.com/") == nil)
    }

    // MARK: - K-24 Max-Age

    @Test func test_K_24_maxAgeZeroDeletesAnExistingCookie() throws {
        // http-state test 0006.
        let jar = JarFixture.jar()
        try jar.store("foo=bar", from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == "foo=bar")
        #expect(try jar.store("foo=bar; max-age=0", from: "https://www.example.com/") == .deleted(removedExisting: true))
        #expect(try jar.header(for: "https://www.example.com/") == nil)
        #expect(try jar.store("foo=bar; Max-Age=-1", from: "https://www.example.com/") == .deleted(removedExisting: false))
    }

    @Test func test_K_24_aNegativeMaxAgeDeletesToo() throws {
        let jar = JarFixture.jar()
        try jar.store("foo=bar; Max-Age=3600", from: "https://www.example.com/")
        #expect(try jar.store("foo=x; Max-Age=-5", from: "https://www.example.com/") == .deleted(removedExisting: true))
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test(arguments: ["1e3", "+5", "5x", "", "0x10", " - 5", "1.5"])
    func test_K_24_aMaxAgeThatIsNotMinusDigitsIsIgnored(_ value: String) throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=b; Max-Age=\(value)", from: "https://www.example.com/").stored)
        #expect(cookie.expires == nil, "Max-Age=\(value) is ignored, so the cookie is a session cookie")
    }

    @Test func test_K_24_maxAgeSetsTheExpiryFromNow() throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=b; Max-Age=100", from: "https://www.example.com/").stored?.expires == now.addingTimeInterval(100))
    }

    @Test func test_K_24_maxAgeBeatsExpiresInEitherOrder() throws {
        let jar = JarFixture.jar()
        let before = try #require(try jar.store("a=1; Max-Age=60; Expires=Wed, 09 Dec 2009 16:27:23 GMT", from: "https://www.example.com/").stored)
        #expect(before.expires == now.addingTimeInterval(60))
        let after = try #require(try jar.store("b=2; Expires=Wed, 09 Dec 2009 16:27:23 GMT; Max-Age=60", from: "https://www.example.com/").stored)
        #expect(after.expires == now.addingTimeInterval(60))
        #expect(try jar.store("c=3; Expires=Sat, 01 Jun 2024 00:00:00 GMT; Max-Age=0", from: "https://www.example.com/") == .deleted(removedExisting: false))
    }

    @Test func test_K_24_lifetimesAreCappedAt400Days() throws {
        let jar = JarFixture.jar()
        let tenYears = try #require(try jar.store("a=1; Max-Age=315360000", from: "https://www.example.com/").stored)
        #expect(tenYears.expires == now.addingTimeInterval(JarFixture.fourHundredDays))
        #expect(tenYears.expires == Date(timeIntervalSince1970: 1_734_560_000))

        let huge = try #require(try jar.store("b=2; Max-Age=99999999999999999999999999", from: "https://www.example.com/").stored)
        #expect(huge.expires == now.addingTimeInterval(JarFixture.fourHundredDays))

        let farExpires = try #require(try jar.store("c=3; Expires=Fri, 01 Jan 2100 00:00:00 GMT", from: "https://www.example.com/").stored)
        #expect(farExpires.expires == now.addingTimeInterval(JarFixture.fourHundredDays))

        let justUnder = try #require(try jar.store("d=4; Max-Age=34559999", from: "https://www.example.com/").stored)
        #expect(justUnder.expires == now.addingTimeInterval(34_559_999))
    }

    @Test func test_K_24_anExpiredCookieIsNoLongerSent() throws {
        let jar = JarFixture.jar()
        try jar.store("a=b; Max-Age=60", from: "https://www.example.com/")
        let url = try JarFixture.url("https://www.example.com/")
        #expect(jar.cookieHeader(for: url, now: now.addingTimeInterval(59)) == "a=b")
        #expect(jar.cookieHeader(for: url, now: now.addingTimeInterval(60)) == nil)
    }
}
