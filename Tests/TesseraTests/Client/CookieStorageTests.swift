import Foundation
import Testing
import Tessera
@testable import TesseraClient

/// CHECKLIST rows K-25, K-26, K-29 to K-35: the storage model of RFC 6265bis
/// §5.7 (which cookies a jar keeps, under which domain, and what it evicts).
@Suite("Cookie storage (CHECKLIST K-25, K-26, K-29…K-35)")
struct ClientCookieStorageTests {
    let now = JarFixture.now

    // MARK: - K-25 Domain

    /// Go's `TestDomainAndType` rows for host names (IP rows are K-26's).
    @Test(arguments: [
        ("http://www.example.com/", "example.com", "example.com"),
        ("http://www.example.com/", ".example.com", "example.com"),
        ("http://www.example.com/", "www.example.com", "www.example.com"),
        ("http://www.example.com/", ".www.example.com", "www.example.com"),
        ("http://foo.sso.example.com/", "sso.example.com", "sso.example.com"),
        ("http://bar.co.uk/", "bar.co.uk", "bar.co.uk"),
        ("http://foo.bar.co.uk/", ".bar.co.uk", "bar.co.uk"),
        ("http://www.example.com/", "EXAMPLE.COM", "example.com"),
    ])
    func test_K_25_aDomainThatCoversTheHostMakesADomainCookie(_ url: String, _ domain: String, _ stored: String) throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=1; Domain=\(domain)", from: url).stored)
        #expect(cookie.domain == stored)
        #expect(!cookie.hostOnly)
    }

    @Test func test_K_25_aDomainCookieIsSentToSubdomainsButNotToParentsOrSiblings() throws {
        let jar = JarFixture.jar()
        try jar.store("a=1; Domain=example.com", from: "http://www.example.com/")
        #expect(try jar.header(for: "http://example.com/") == "a=1")
        #expect(try jar.header(for: "http://www.example.com/") == "a=1")
        #expect(try jar.header(for: "http://deep.www.example.com/") == "a=1")
        #expect(try jar.header(for: "http://notexample.com/") == nil)
        #expect(try jar.header(for: "http://example.com.evil.test/") == nil)
    }

    @Test func test_K_25_dotComFromWwwExampleComIsRejected() throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Domain=.com", from: "http://www.example.com/") == .rejected(.publicSuffixDomain(name: "a")))
        #expect(try jar.store("a=1; Domain=com", from: "http://www.example.com/") == .rejected(.publicSuffixDomain(name: "a")))
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_25_dotCoUkFromFooBarCoUkIsRejected() throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Domain=.co.uk", from: "http://foo.bar.co.uk/") == .rejected(.publicSuffixDomain(name: "a")))
        #expect(try jar.header(for: "http://other.co.uk/") == nil)
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_25_publicSuffixRejectionComesFromTheListNotFromLabelCounting() throws {
        // A private suffix of the list (github.io) is refused; a three-label domain that is not a suffix is fine.
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Domain=github.io", from: "https://alice.github.io/") == .rejected(.publicSuffixDomain(name: "a")))
        #expect(try jar.store("b=1; Domain=bbc.co.uk", from: "https://www.bbc.co.uk/").stored?.domain == "bbc.co.uk")
        // With a list that knows nothing of co.uk, the same cookie is a domain cookie for co.uk.
        let bare = CookieJar(publicSuffixes: PublicSuffixList(rulesText: "// nothing"))
        let bbc = try JarFixture.url("https://www.bbc.co.uk/")
        #expect(bare.store(setCookie: "c=1; Domain=co.uk", from: bbc, now: now).stored?.domain == "co.uk")
    }

    @Test func test_K_25_aPublicSuffixEqualToTheHostMakesAHostOnlyCookie() throws {
        // Go TestDomainAndType: co.uk from co.uk, com from com.
        for (url, domain) in [("http://co.uk/", "co.uk"), ("http://co.uk/", ".co.uk"), ("http://com/", "com"), ("http://com/", ".com")] {
            let jar = JarFixture.jar()
            let host = try JarFixture.url(url).host
            let cookie = try #require(try jar.store("a=1; Domain=\(domain)", from: url).stored, "\(domain) from \(url)")
            #expect(cookie.hostOnly, "\(domain) from \(url)")
            #expect(cookie.domain == host)
        }
        let jar = JarFixture.jar()
        try jar.store("a=1; Domain=co.uk", from: "http://co.uk/")
        #expect(try jar.header(for: "http://co.uk/") == "a=1")
        #expect(try jar.header(for: "http://bbc.co.uk/") == nil, "host-only: never sent to names under the suffix")
    }

    @Test(arguments: [
        ("http://www.example.com/", "other.com"),
        ("http://www.example.com/", "ww.example.com"),
        ("http://www.example.com/", "deep.www.example.com"),
        ("http://example.com/", "www.example.com"),
        ("http://www.example.com/", ".."),
        ("http://www.example.com/", "example.com."),
    ])
    func test_K_25_aDomainThatDoesNotCoverTheHostIsRejected(_ url: String, _ domain: String) throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Domain=\(domain)", from: url) == .rejected(.domainMismatch(name: "a")))
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_25_anEmptyDomainIsIgnoredSoTheCookieIsHostOnly() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=1; Domain=", from: "http://www.example.com/").stored)
        #expect(cookie.hostOnly)
        #expect(cookie.domain == "www.example.com")
        // And it does not undo an earlier Domain (only that attribute is ignored).
        let earlier = try #require(try jar.store("b=1; Domain=example.com; Domain=", from: "http://www.example.com/").stored)
        #expect(earlier.domain == "example.com")
        #expect(!earlier.hostOnly)
    }

    @Test func test_K_25_anInternationalDomainIsStoredAsPunycode() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=1; Domain=www.bücher.de", from: "https://www.bücher.de/").stored)
        #expect(cookie.domain == "www.xn--bcher-kva.de")
        #expect(!cookie.hostOnly)
        // The same host spelled either way gets it, and so does a subdomain.
        #expect(try jar.header(for: "https://www.xn--bcher-kva.de/") == "a=1")
        #expect(try jar.header(for: "https://WWW.Bücher.DE/") == "a=1")
        #expect(try jar.header(for: "https://shop.www.bücher.de/") == "a=1")

        let upper = try #require(try jar.store("b=1; Domain=BÜCHER.de", from: "https://www.xn--bcher-kva.de/").stored)
        #expect(upper.domain == "xn--bcher-kva.de")
    }

    // MARK: - K-26 IP addresses (Chromium's choice, CHECKLIST §7 decision 4)

    @Test func test_K_26_anIPHostNamingItselfAsDomainGetsAHostOnlyCookie() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=1; Domain=127.0.0.1", from: "http://127.0.0.1/").stored)
        #expect(cookie.hostOnly)
        #expect(cookie.domain == "127.0.0.1")
        #expect(try jar.header(for: "http://127.0.0.1:8080/x") == "a=1")

        let v6 = try #require(try jar.store("b=2; Domain=2001:4860:0:2001::68", from: "http://[2001:4860:0:2001::68]/").stored)
        #expect(v6.hostOnly)
        #expect(v6.domain == "[2001:4860:0:2001::68]")
        #expect(try jar.header(for: "http://[2001:4860:0:2001::68]:8443/") == "b=2")
    }

    @Test func test_K_26_anyOtherDomainOnAnIPHostIsRejected() throws {
        // Go basicsTests "Domain cookies on IP" and TestDomainAndType.
        let jar = JarFixture.jar()
        #expect(try jar.store("b=2; Domain=172.31.9.9", from: "http://192.168.0.10/") == .rejected(.domainMismatch(name: "b")))
        #expect(try jar.store("c=3; Domain=168.0.10", from: "http://192.168.0.10/") == .rejected(.domainMismatch(name: "c")))
        #expect(try jar.store("d=4; Domain=0.10", from: "http://192.168.0.10/") == .rejected(.domainMismatch(name: "d")))
        #expect(try jar.store("e=5; Domain=example.com", from: "http://192.168.0.10/") == .rejected(.domainMismatch(name: "e")))
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_26_aHostNameThatEndsLikeAnIPCannotClaimTheIP() throws {
        // A host ending in a number must be a plain dotted quad (WHATWG's IPv4 rule):
        // `127.www.0.0.1` is no URL at all, so nothing can be stored from it.
        #expect(CookieURL("http://127.www.0.0.1/") == nil)
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Domain=0.0.1", from: "http://127.0.0.1/") == .rejected(.domainMismatch(name: "a")))
        #expect(try jar.store("a=1; Domain=127.0.0.1", from: "http://www.127.example/") == .rejected(.domainMismatch(name: "a")))
    }

    @Test func test_K_26_aHostCookieOnAnIPIsNotSentToOtherAddresses() throws {
        let jar = JarFixture.jar()
        try jar.store("a=1", from: "http://192.168.0.10/")
        #expect(try jar.header(for: "http://192.168.0.10/") == "a=1")
        #expect(CookieURL("http://1.192.168.0.10/") == nil, "five numeric labels are no host")
        #expect(try jar.header(for: "http://10.192.168.0/") == nil)
        #expect(try jar.header(for: "http://192.168.0.1/") == nil)
    }

    // MARK: - K-29 Secure needs a secure origin

    @Test func test_K_29_aSecureCookieFromPlainHTTPIsNotStored() throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("A=a; secure", from: "http://www.example.com/") == .rejected(.secureFromInsecureOrigin(name: "A")))
        #expect(try jar.header(for: "https://www.example.com/") == nil)
        #expect(try jar.header(for: "http://www.example.com/") == nil)
    }

    @Test func test_K_29_aSecureCookieIsNeverSentOverPlainHTTP() throws {
        let jar = JarFixture.jar()
        try jar.store("A=a; Secure", from: "https://www.example.com/")
        try jar.store("B=b", from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == "A=a; B=b")
        #expect(try jar.header(for: "http://www.example.com/") == "B=b")
        #expect(try jar.header(for: "http://www.example.com:443/") == "B=b")
    }

    @Test func test_K_29_loopbackHostsCountAsSecureOrigins() throws {
        // The documented choice: http://localhost, *.localhost, 127.0.0.0/8 and [::1] are secure contexts.
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("A=a; Secure; Path=/", from: "http://localhost:8080/").stored)
        #expect(cookie.secure)
        #expect(try jar.header(for: "http://localhost:8080/") == "A=a")
        #expect(try jar.store("B=b; Secure", from: "http://127.0.0.1/").stored != nil)
        #expect(try jar.header(for: "http://127.0.0.1/") == "B=b")
        #expect(try jar.store("C=c; Secure", from: "http://[::1]/").stored != nil)
        #expect(try jar.store("D=d; Secure", from: "http://app.localhost/").stored != nil)
        // A name that merely starts like loopback is not loopback.
        #expect(try jar.store("E=e; Secure", from: "http://localhost.example.com/") == .rejected(.secureFromInsecureOrigin(name: "E")))
        #expect(try jar.store("F=f; Secure", from: "http://127.0.0.1.example.com/") == .rejected(.secureFromInsecureOrigin(name: "F")))
    }

    // MARK: - K-30 Leave Secure Cookies Alone

    @Test func test_K_30_plainHTTPCannotShadowASecureCookie() throws {
        let jar = JarFixture.jar()
        try #require(try jar.store("a=secret; Secure; Path=/login", from: "https://www.example.com/").stored != nil)

        // From http, `Path=/` does not path-match /login: allowed.
        #expect(try jar.store("a=x; Path=/", from: "http://www.example.com/").stored != nil)
        // `Path=/login/en` path-matches /login: ignored.
        #expect(try jar.store("a=x; Path=/login/en", from: "http://www.example.com/") == .rejected(.wouldShadowSecureCookie(name: "a")))
        #expect(try jar.store("a=x; Path=/login", from: "http://www.example.com/") == .rejected(.wouldShadowSecureCookie(name: "a")))
        // Via a Domain that covers the secure cookie's host.
        #expect(try jar.store("a=x; Domain=example.com; Path=/login", from: "http://www.example.com/") == .rejected(.wouldShadowSecureCookie(name: "a")))
        // Nor delete it.
        #expect(try jar.store("a=; Path=/login; Max-Age=0", from: "http://www.example.com/") == .rejected(.wouldShadowSecureCookie(name: "a")))

        #expect(try jar.header(for: "https://www.example.com/login/en") == "a=secret; a=x")
    }

    @Test func test_K_30_otherNamesAndSecureOriginsAreUnaffected() throws {
        let jar = JarFixture.jar()
        try jar.store("a=secret; Secure; Path=/login", from: "https://www.example.com/")
        #expect(try jar.store("b=x; Path=/login", from: "http://www.example.com/").stored != nil)
        #expect(try jar.store("a=new; Secure; Path=/login", from: "https://www.example.com/").stored?.value == "new")
        #expect(try jar.store("a=plain; Path=/login/en", from: "https://www.example.com/").stored != nil)
        // An unrelated host is not shadowing.
        #expect(try jar.store("a=x; Path=/login", from: "http://other.example.org/").stored != nil)
    }

    // MARK: - K-31 prefixes

    @Test func test_K_31_hostPrefixIsCaseInsensitiveAndNeedsSecure() throws {
        let jar = JarFixture.jar()
        guard case .rejected(.prefixViolation(name: "__HoSt-x", _)) = try jar.store("__HoSt-x=1; Path=/", from: "https://host.example.com/") else {
            Issue.record("__HoSt-x without Secure must be ignored")
            return
        }
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_31_hostPrefixMayNotHaveADomain() throws {
        let jar = JarFixture.jar()
        let outcome = try jar.store("__Host-x=1; Secure; Path=/; Domain=host.example.com", from: "https://host.example.com/")
        guard case .rejected(.prefixViolation) = outcome else {
            Issue.record("__Host- with Domain must be ignored, got \(outcome)")
            return
        }
        #expect(jar.allCookies(now: now).isEmpty)
    }

    @Test func test_K_31_hostPrefixMayNotHaveADomainEvenOneNamingItsIPHost() throws {
        let jar = JarFixture.jar()
        let outcome = try jar.store("__Host-x=1; Secure; Path=/; Domain=127.0.0.1", from: "http://127.0.0.1/")
        guard case .rejected(.prefixViolation) = outcome else {
            Issue.record("__Host- with any Domain must be ignored, got \(outcome)")
            return
        }
        #expect(try jar.store("__Host-x=1; Secure; Path=/", from: "http://127.0.0.1/").stored?.hostOnly == true)
    }

    @Test func test_K_31_hostPrefixNeedsAnExplicitPathOfSlash() throws {
        let jar = JarFixture.jar()
        let deep = try jar.store("__Host-x=1; Secure; Path=/app", from: "https://host.example.com/")
        #expect(deep.stored == nil)
        // Without a Path attribute the default path of "/" is not enough (6265bis §5.7; WPT __host.explicit-path).
        let implicit = try jar.store("__Host-y=1; Secure", from: "https://host.example.com/")
        #expect(implicit.stored == nil, "got \(implicit)")
        let good = try #require(try jar.store("__Host-z=1; Secure; Path=/", from: "https://host.example.com/deep/page").stored)
        #expect(good.hostOnly && good.secure && good.path == "/")
    }

    @Test func test_K_31_securePrefixIsCaseInsensitiveAndNeedsSecure() throws {
        let jar = JarFixture.jar()
        guard case .rejected(.prefixViolation) = try jar.store("__SECURE-x=1", from: "https://host.example.com/") else {
            Issue.record("__SECURE-x without Secure must be ignored")
            return
        }
        #expect(try jar.store("__secure-y=1; Secure; Domain=example.com", from: "https://host.example.com/").stored != nil)
    }

    @Test func test_K_31_aNamelessCookieWhoseValueLooksPrefixedIsIgnored() throws {
        let jar = JarFixture.jar()
        for header in ["__Host-x", "__host-x; Secure; Path=/", "__Secure-x; Secure", "=__Host-x"] {
            let outcome = try jar.store(header, from: "https://host.example.com/")
            guard case .rejected(.prefixViolation) = outcome else {
                Issue.record("\(header) must be ignored, got \(outcome)")
                continue
            }
        }
        #expect(jar.allCookies(now: now).isEmpty)
    }

    // MARK: - K-32 SameSite

    @Test func test_K_32_sameSiteNoneWithoutSecureIsRejected() throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; SameSite=None", from: "https://www.example.com/") == .rejected(.sameSiteNoneWithoutSecure(name: "a")))
        #expect(try jar.store("b=1; SameSite=nOnE", from: "https://www.example.com/") == .rejected(.sameSiteNoneWithoutSecure(name: "b")))
        #expect(jar.allCookies(now: now).isEmpty)
        #expect(try jar.store("c=1; SameSite=None; Secure", from: "https://www.example.com/").stored?.sameSite == SameSite.none)
    }

    @Test(arguments: [
        ("Strict", SameSite.strict), ("sTrIcT", .strict), ("LAX", .lax), ("lax", .lax),
    ] as [(String, SameSite)])
    func test_K_32_strictAndLaxAreCaseInsensitive(_ value: String, _ expected: SameSite) throws {
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; SameSite=\(value)", from: "https://www.example.com/").stored?.sameSite == expected)
    }

    @Test(arguments: ["invalid", "", "Strict2", "no ne"])
    func test_K_32_anUnknownSameSiteIsStoredAsDefault(_ value: String) throws {
        // Go readSetCookiesTests: SameSite=invalid → default mode.
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("a=1; SameSite=\(value)", from: "https://www.example.com/").stored)
        #expect(cookie.sameSite == nil)
    }

    @Test func test_K_32_aCLIRequestIsSameSiteSoStrictCookiesAreSent() throws {
        let jar = JarFixture.jar()
        try jar.store("s=1; SameSite=Strict", from: "https://www.example.com/")
        try jar.store("l=2; SameSite=Lax", from: "https://www.example.com/")
        #expect(try jar.header(for: "https://www.example.com/") == "s=1; l=2")
    }

    // MARK: - K-33 HttpOnly

    @Test func test_K_33_httpOnlyIsStoredAndTheCookieIsStillSent() throws {
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("sid=abc; HttpOnly", from: "https://www.example.com/").stored)
        #expect(cookie.httpOnly)
        #expect(try jar.header(for: "https://www.example.com/") == "sid=abc")
    }

    // MARK: - K-34 replacing

    @Test func test_K_34_aDifferentPathIsASeparateCookie() throws {
        let jar = JarFixture.jar()
        try jar.store("A=1;path=/", from: "http://www.host.test/")
        try jar.store("A=2;path=/path", from: "http://www.host.test/")
        #expect(jar.allCookies(now: now).count == 2)
        #expect(try jar.header(for: "http://www.host.test/path") == "A=2; A=1")
    }

    @Test func test_K_34_theSameNameDomainAndPathReplacesAndKeepsTheCreationTime() throws {
        let jar = JarFixture.jar()
        let url = try JarFixture.url("http://www.host.test/")
        jar.store(setCookie: "A=1;path=/", from: url, now: now)
        jar.store(setCookie: "B=x;path=/", from: url, now: now.addingTimeInterval(1))
        jar.store(setCookie: "A=2;path=/path", from: url, now: now.addingTimeInterval(2))
        let replaced = try #require(jar.store(setCookie: "A=3;path=/", from: url, now: now.addingTimeInterval(3)).stored)
        #expect(replaced.created == now, "the creation time of the replaced cookie is kept")
        #expect(jar.allCookies(now: now).count == 3)
        // Sort order unchanged: A=3 still sorts before B, which was created after the first A.
        let deeper = try JarFixture.url("http://www.host.test/path")
        #expect(jar.cookieHeader(for: deeper, now: now.addingTimeInterval(4)) == "A=2; A=3; B=x")
        #expect(jar.cookieHeader(for: url, now: now.addingTimeInterval(4)) == "A=3; B=x")
    }

    @Test func test_K_34_hostOnlyAndDomainCookiesOfOneNameAreSeparate() throws {
        let jar = JarFixture.jar()
        try jar.store("A=host", from: "http://www.host.test/")
        try jar.store("A=domain; Domain=www.host.test", from: "http://www.host.test/")
        #expect(jar.allCookies(now: now).map(\.value) == ["host", "domain"])
        #expect(try jar.header(for: "http://www.host.test/") == "A=host; A=domain")
    }

    /// Names and paths are compared byte for byte, as browsers do, not by
    /// Swift's canonical equivalence: `e` + U+0301 and `é` are two cookies.
    @Test func test_K_34_namesAndPathsThatAreOnlyCanonicallyEqualAreSeparateCookies() throws {
        let jar = JarFixture.jar()
        try jar.store("e\u{301}=decomposed", from: "http://www.host.test/")
        try jar.store("\u{E9}=precomposed", from: "http://www.host.test/")
        try jar.store("p=1; Path=/caf\u{E9}", from: "http://www.host.test/")
        try jar.store("p=2; Path=/cafe\u{301}", from: "http://www.host.test/")
        let stored = jar.allCookies(now: now)
        #expect(stored.map(\.value) == ["decomposed", "precomposed", "1", "2"])
        #expect(stored.filter { $0.name == "p" }.map { Array($0.path.utf8) } == [Array("/caf\u{E9}".utf8), Array("/cafe\u{301}".utf8)])
    }

    @Test func test_K_34_sortingOfSameNameCookies() throws {
        // Go basicsTests "Sorting of same-name cookies."
        let jar = JarFixture.jar()
        for header in [
            "A=1; path=/", "A=2; path=/path", "A=3; path=/quux", "A=4; path=/path/foo",
            "A=5; domain=.host.test; path=/path", "A=6; domain=.host.test; path=/quux", "A=7; domain=.host.test; path=/path/foo",
        ] {
            try #require(try jar.store(header, from: "http://www.host.test/").stored != nil, "\(header)")
        }
        #expect(try jar.header(for: "http://www.host.test/path") == "A=2; A=5; A=1")
        #expect(try jar.header(for: "http://www.host.test/path/foo") == "A=4; A=7; A=2; A=5; A=1")
        // Re-setting A=1's slot keeps its place.
        try jar.store("A=8; path=/", from: "http://www.host.test/")
        #expect(try jar.header(for: "http://www.host.test/path") == "A=2; A=5; A=8")
    }

    // MARK: - K-35 eviction

    /// Stores `count` non-secure cookies `c0`, `c1`, … with paths `/p0`, `/p1`, … from `host`.
    private func fill(_ jar: CookieJar, host: String, count: Int, from first: Int = 0, secure: Set<Int> = []) throws {
        for index in first..<(first + count) {
            let header = "c\(index)=\(index); Path=/p\(index)" + (secure.contains(index) ? "; Secure" : "")
            try #require(try jar.store(header, from: "https://\(host)/").stored != nil)
        }
    }

    @Test func test_K_35_the51stCookieEvictsTheLeastRecentlyUsedNonSecureOne() throws {
        let jar = JarFixture.jar(limits: .init(perDomain: 50, total: 3000))
        try fill(jar, host: "www.example.com", count: 50)
        // Using c0 makes c1 the least recently accessed.
        #expect(try jar.header(for: "https://www.example.com/p0") == "c0=0")
        try fill(jar, host: "www.example.com", count: 1, from: 50)
        let names = Set(jar.allCookies(now: now).map(\.name))
        #expect(names.count == 50)
        #expect(!names.contains("c1"))
        #expect(names.contains("c0"))
        #expect(names.contains("c50"))
    }

    @Test func test_K_35_secureCookiesAreEvictedAfterNonSecureOnes() throws {
        let jar = JarFixture.jar(limits: .init(perDomain: 50, total: 3000))
        try fill(jar, host: "www.example.com", count: 50, secure: [0])
        try fill(jar, host: "www.example.com", count: 1, from: 50)
        let names = Set(jar.allCookies(now: now).map(\.name))
        #expect(names.count == 50)
        #expect(names.contains("c0"), "the oldest cookie is Secure, so it stays")
        #expect(!names.contains("c1"), "the oldest non-secure cookie goes instead")
    }

    @Test func test_K_35_otherDomainsDoNotCountTowardsADomainsLimit() throws {
        let jar = JarFixture.jar(limits: .init(perDomain: 50, total: 3000))
        try fill(jar, host: "www.example.com", count: 50)
        try fill(jar, host: "api.example.com", count: 50, from: 100)
        #expect(jar.allCookies(now: now).count == 100)
    }

    @Test func test_K_35_expiredCookiesAreEvictedFirst() throws {
        let jar = JarFixture.jar(limits: .init(perDomain: 50, total: 3000))
        let url = try JarFixture.url("https://www.example.com/")
        jar.store(setCookie: "short=1; Max-Age=10", from: url, now: now)
        for index in 1..<50 { jar.store(setCookie: "c\(index)=\(index); Path=/p\(index)", from: url, now: now) }
        let later = now.addingTimeInterval(20)
        jar.store(setCookie: "late=1", from: url, now: later)
        let names = Set(jar.allCookies(now: now).map(\.name))
        #expect(names.count == 50)
        #expect(!names.contains("short"))
        #expect((1..<50).allSatisfy { names.contains("c\($0)") }, "no live cookie is evicted while an expired one can go")
    }

    @Test func test_K_35_theTotalLimitEvictsTheLeastRecentlyUsedOfAll() throws {
        let jar = JarFixture.jar(limits: .init(perDomain: 50, total: 3000))
        for host in 0..<60 { try fill(jar, host: "h\(host).example.com", count: 50, from: host * 50) }
        #expect(jar.allCookies(now: now).count == 3000)
        // c0 (h0) becomes recently used, so c1 (h0) is the least recently used.
        #expect(try jar.header(for: "https://h0.example.com/p0") == "c0=0")
        try fill(jar, host: "h60.example.com", count: 1, from: 3000)
        let names = Set(jar.allCookies(now: now).map(\.name))
        #expect(names.count == 3000)
        #expect(names.contains("c0"))
        #expect(!names.contains("c1"))
        #expect(names.contains("c3000"))
    }
}
