import Foundation
import Testing
import Tessera
@testable import TesseraClient

/// CHECKLIST rows K-27, K-28 and K-37 to K-39: which cookies a jar sends to a
/// URL and how it writes the `Cookie` header (RFC 6265bis §5.1 and §5.8.3).
/// The tables are Go's `net/http/cookiejar` tests, with Go's space-separated
/// expectations written as the `"; "`-joined header.
@Suite("Cookie retrieval (CHECKLIST K-27, K-28, K-37…K-39)")
struct ClientCookieRetrievalTests {
    let now = JarFixture.now

    // MARK: - K-27 host-only cookies

    @Test func test_K_27_aCookieWithoutDomainGoesOnlyToTheIdenticalHost() throws {
        // Go basicsTests "Retrieval of a plain host cookie."
        let jar = JarFixture.jar()
        let cookie = try #require(try jar.store("A=a", from: "http://www.host.test/").stored)
        #expect(cookie.hostOnly)
        #expect(cookie.domain == "www.host.test")
        for url in ["http://www.host.test", "http://www.host.test/", "http://www.host.test/some/path",
                    "https://www.host.test", "https://www.host.test/", "https://www.host.test/some/path"] {
            #expect(try jar.header(for: url) == "A=a", "\(url)")
        }
        for url in ["http://www.other.org", "http://sibling.host.test", "http://deep.www.host.test", "http://host.test"] {
            #expect(try jar.header(for: url) == nil, "\(url)")
        }
    }

    // MARK: - K-28 paths

    @Test(arguments: [
        ("/", "/"), ("/abc", "/"), ("/abc/", "/abc"), ("/abc/xyz", "/abc"), ("/abc/xyz/", "/abc/xyz"),
        ("/a/b/c.html", "/a/b"), ("", "/"), ("//", "/"), ("/a//b", "/a/"), ("/a/./b", "/a/."), ("/a/../b", "/a/.."),
    ])
    func test_K_28_defaultPath(_ path: String, _ expected: String) throws {
        // Go defaultPathTests.
        #expect(try JarFixture.url("http://www.host.test" + path).defaultCookiePath == expected)
    }

    @Test func test_K_28_aPathAttributeThatDoesNotStartWithSlashGivesTheDefaultPath() throws {
        // Go defaultPathTests "strange", and an empty Path.
        let jar = JarFixture.jar()
        #expect(try jar.store("a=1; Path=strange", from: "http://www.host.test/abc/xyz").stored?.path == "/abc")
        #expect(try jar.store("b=1; Path=", from: "http://www.host.test/abc/xyz").stored?.path == "/abc")
        #expect(try jar.store("c=1; Path=strange", from: "http://www.host.test").stored?.path == "/")
    }

    @Test func test_K_28_pathMatchNeedsIdentityOrASlashBoundary() {
        #expect(CookieMatching.path("/some/path", matches: "/some/path"))
        #expect(CookieMatching.path("/some/path/foo", matches: "/some/path"))
        #expect(!CookieMatching.path("/some/paths", matches: "/some/path"))
        #expect(CookieMatching.path("/some/path/foo", matches: "/some/path/"))
        #expect(!CookieMatching.path("/some/path", matches: "/some/path/"))
        #expect(!CookieMatching.path("/some", matches: "/some/path"))
        #expect(CookieMatching.path("/anything", matches: "/"))
    }

    /// Go basicsTests "Explicit path." and "Implicit path #1/#2".
    @Test(arguments: [
        ("A=a; path=/some/path", "http://www.host.test/"),
        ("A=a", "http://www.host.test/some/path/"),
        ("A=a", "http://www.host.test/some/path/index.html"),
    ])
    func test_K_28_explicitAndImplicitPathsMatchTheSameURLs(_ header: String, _ setFrom: String) throws {
        let jar = JarFixture.jar()
        try jar.store(header, from: setFrom)
        for url in ["http://www.host.test", "http://www.host.test/", "http://www.host.test/some", "http://www.host.test/some/",
                    "http://www.host.test/some/paths"] {
            #expect(try jar.header(for: url) == nil, "\(url)")
        }
        for url in ["http://www.host.test/some/path", "http://www.host.test/some/path/foo", "http://www.host.test/some/path/foo/",
                    "http://www.host.test/some/path?query", "http://www.host.test/some/path#fragment"] {
            #expect(try jar.header(for: url) == "A=a", "\(url)")
        }
    }

    @Test func test_K_28_noPathInTheURLAtAllGivesSlash() throws {
        // Go basicsTests "Implicit path #3".
        let jar = JarFixture.jar()
        try jar.store("A=a", from: "http://www.host.test")
        for url in ["http://www.host.test", "http://www.host.test/", "http://www.host.test/some/path"] {
            #expect(try jar.header(for: url) == "A=a", "\(url)")
        }
    }

    // MARK: - K-37 the Cookie header

    @Test func test_K_37_cookiesAreSortedByPathLength() throws {
        // Go basicsTests "Cookies are sorted by path length."
        let jar = JarFixture.jar()
        for header in ["A=a; path=/foo/bar", "B=b; path=/foo/bar/baz/qux", "C=c; path=/foo/bar/baz", "D=d; path=/foo"] {
            try jar.store(header, from: "http://www.host.test/")
        }
        #expect(try jar.header(for: "http://www.host.test/foo/bar/baz/qux") == "B=b; C=c; A=a; D=d")
        #expect(try jar.header(for: "http://www.host.test/foo/bar/baz/") == "C=c; A=a; D=d")
        #expect(try jar.header(for: "http://www.host.test/foo/bar") == "A=a; D=d")
    }

    @Test func test_K_37_creationTimeDeterminesSortingOnSameLengthPaths() throws {
        // Go basicsTests "Creation time determines sorting on same length paths."
        // All are stored at the same instant: the order of storing must still decide.
        let jar = JarFixture.jar()
        for header in [
            "A=a; path=/foo/bar", "X=x; path=/foo/bar", "Y=y; path=/foo/bar/baz/qux", "B=b; path=/foo/bar/baz/qux",
            "C=c; path=/foo/bar/baz", "W=w; path=/foo/bar/baz", "Z=z; path=/foo", "D=d; path=/foo",
        ] {
            try jar.store(header, from: "http://www.host.test/")
        }
        #expect(try jar.header(for: "http://www.host.test/foo/bar/baz/qux") == "Y=y; B=b; C=c; W=w; A=a; X=x; Z=z; D=d")
        #expect(try jar.header(for: "http://www.host.test/foo/bar/baz/") == "C=c; W=w; A=a; X=x; Z=z; D=d")
        #expect(try jar.header(for: "http://www.host.test/foo/bar") == "A=a; X=x; Z=z; D=d")
    }

    @Test func test_K_37_onlyUnexpiredMatchingCookiesAreSentInOneHeader() throws {
        let jar = JarFixture.jar()
        let url = try JarFixture.url("https://www.host.test/")
        jar.store(setCookie: "live=1", from: url, now: now)
        jar.store(setCookie: "soon=2; Max-Age=30", from: url, now: now)
        jar.store(setCookie: "secure=3; Secure", from: url, now: now)
        jar.store(setCookie: "deep=4; Path=/deep", from: url, now: now)
        try jar.store("other=5", from: "https://other.host.test/")
        #expect(jar.cookieHeader(for: url, now: now) == "live=1; soon=2; secure=3")
        #expect(jar.cookieHeader(for: url, now: now.addingTimeInterval(31)) == "live=1; secure=3")
        let deep = try JarFixture.url("http://www.host.test/deep/x")
        #expect(jar.cookieHeader(for: deep, now: now.addingTimeInterval(31)) == "deep=4; live=1")
        #expect(try jar.header(for: "https://nothing.host.test/") == nil, "no header at all when nothing matches")
    }

    @Test func test_K_37_sendingACookieUpdatesItsLastAccess() throws {
        let jar = JarFixture.jar()
        try jar.store("a=1; Path=/a", from: "https://www.host.test/")
        try jar.store("b=2; Path=/b", from: "https://www.host.test/")
        let (aBefore, bBefore) = (try #require(jar.only("a")).lastAccess, try #require(jar.only("b")).lastAccess)
        #expect(aBefore < bBefore)
        #expect(try jar.header(for: "https://www.host.test/a") == "a=1")
        let (aAfter, bAfter) = (try #require(jar.only("a")).lastAccess, try #require(jar.only("b")).lastAccess)
        #expect(aAfter > bAfter)
        #expect(bAfter == bBefore, "a cookie that was not sent keeps its last access")
    }

    @Test func test_K_37_theLeastRecentlySentCookieIsTheOneEvicted() throws {
        // Last access is what eviction uses: after sending `a`, storing a third cookie evicts `b`.
        let jar = JarFixture.jar(limits: .init(perDomain: 2, total: 3000))
        try jar.store("a=1; Path=/a", from: "https://www.host.test/")
        try jar.store("b=2; Path=/b", from: "https://www.host.test/")
        #expect(try jar.header(for: "https://www.host.test/a/page") == "a=1")
        try jar.store("c=3; Path=/c", from: "https://www.host.test/")
        #expect(jar.allCookies(now: now).map(\.name) == ["a", "c"])
    }

    // MARK: - K-38 ports and schemes

    @Test func test_K_38_portsAreIgnored() throws {
        // Go basicsTests "Port is ignored #1/#2", and the row's :8080 → :443.
        let jar = JarFixture.jar()
        try jar.store("a=1", from: "http://www.host.test:8080/")
        #expect(try jar.header(for: "https://www.host.test:443/") == "a=1")
        #expect(try jar.header(for: "http://www.host.test/") == "a=1")
        #expect(try jar.header(for: "http://www.host.test:8080/") == "a=1")
        #expect(try jar.header(for: "http://www.host.test:1234/") == "a=1")

        try jar.store("s=2; Secure", from: "https://www.host.test:8443/")
        #expect(try jar.header(for: "https://www.host.test/") == "a=1; s=2")
        #expect(try jar.header(for: "http://www.host.test:8443/") == "a=1", "a Secure cookie does not go over http, whatever the port")
    }

    @Test(arguments: ["ftp://www.host.test/", "ftp://www.host.test", "ftp://www.host.test/some/path", "ws://www.host.test/",
                      "file:///etc/passwd", "www.host.test/", "mailto:a@www.host.test", "http:/www.host.test/"])
    func test_K_38_onlyHTTPAndHTTPSURLsHaveCookies(_ text: String) {
        #expect(CookieURL(text) == nil)
    }

    @Test func test_K_38_schemesAreCaseInsensitive() throws {
        let url = try JarFixture.url("HTTPS://www.host.test/")
        #expect(url.isHTTPS)
        #expect(try JarFixture.url("Http://www.host.test/").isHTTPS == false)
    }

    // MARK: - K-39 canonical host

    @Test(arguments: [
        ("http://www.example.com/", "www.example.com"),
        ("http://WWW.EXAMPLE.COM/", "www.example.com"),
        ("http://wWw.eXAmple.CoM/", "www.example.com"),
        ("http://www.example.com:80/", "www.example.com"),
        ("http://www.example.com./", "www.example.com"),
        ("http://WWW.EXAMPLE.COM./x", "www.example.com"),
        ("http://192.168.0.10/", "192.168.0.10"),
        ("http://192.168.0.5:8080/", "192.168.0.5"),
        ("http://[2001:4860:0:2001::68]/", "[2001:4860:0:2001::68]"),
        ("http://[2001:4860:0:::68]:8080/", "[2001:4860:0:::68]"),
        ("http://www.bücher.de/", "www.xn--bcher-kva.de"),
        ("http://user:pass@www.example.com:8080/", "www.example.com"),
    ])
    func test_K_39_theHostIsLowerCasedWithoutPortOrTrailingDot(_ text: String, _ host: String) throws {
        // Go canonicalHostTests (IPv6 keeps its brackets here).
        #expect(try JarFixture.url(text).host == host)
    }

    @Test func test_K_39_theDocumentedExample() throws {
        let url = try #require(CookieURL("http://WWW.EXAMPLE.COM./x"))
        #expect(url.host == "www.example.com")
        #expect(url.path == "/x")
        #expect(try JarFixture.url("https://www.example.com:8443/a/b?c#d").host == "www.example.com")
        #expect(try JarFixture.url("https://www.example.com:8443/a/b?c#d").path == "/a/b")
    }

    @Test(arguments: ["http://[bad.unmatched.bracket:/", "http://./", "http:///path", "http://www.example.com:port/", "http://exa mple.com/"])
    func test_K_39_malformedHostsHaveNoCookieURL(_ text: String) {
        #expect(CookieURL(text) == nil)
    }

    @Test func test_K_39_aCookieSetOnOneSpellingOfAHostIsSentToAnother() throws {
        let jar = JarFixture.jar()
        try jar.store("a=1", from: "http://WWW.Example.COM.:8080/")
        #expect(try jar.header(for: "https://www.example.com/") == "a=1")
        #expect(jar.allCookies(now: now).first?.domain == "www.example.com")
    }
}
