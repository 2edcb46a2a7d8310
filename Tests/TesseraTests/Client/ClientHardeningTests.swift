import Foundation
import Testing
@testable import TesseraClient

/// Inputs where parsers disagree or a careless jar would crash or lose data:
/// the jar must read a URL's host exactly as the connection does, survive any
/// cookies.txt line, and never scope a loaded cookie to a public suffix.
@Suite("Client hardening (CHECKLIST K-25, K-39, K-40)")
struct ClientHardeningTests {
    @Test(arguments: [
        #"http://good.com\@evil.com/"#,  // WHATWG reads good.com, Foundation evil.com
        "http://127.1/", "http://0x7f.0.0.1/", "http://999.1.1.1/", "http://1.2.3.256/",
        "http://[]/", "http://[zz::1]/", "http://exa mple.com/", "http://example.com:80x/",
    ])
    func test_K_39_urlsThatParsersReadDifferentlyAreRefused(_ text: String) {
        #expect(CookieURL(text) == nil)
    }

    @Test func test_K_39_hostsAreFoundOnScalarsNotCharacters() throws {
        // "/" followed by a combining mark is one Character but still ends the authority.
        #expect(try #require(CookieURL("http://good.com/\u{301}@evil.com/")).host == "good.com")
        // Ideographic and full-width full stops separate labels (IDNA).
        #expect(try #require(CookieURL("http://www\u{FF0E}example\u{3002}com/")).host == "www.example.com")
        #expect(try #require(CookieURL("http://[::1]:8080/x")).host == "[::1]")
        #expect(try #require(CookieURL("http://10.0.0.255/")).hostIsIPAddress)
    }

    @Test func test_K_25_aDomainOfOnlyADotMakesAHostOnlyCookie() throws {
        let jar = JarFixture.jar()
        let stored = try #require(try jar.store("a=1; Domain=.", from: "https://www.example.com/").stored)
        #expect(stored.hostOnly && stored.domain == "www.example.com")
    }

    @Test func test_K_40_windowsLineEndsAreRead() {
        let text = "# Netscape HTTP Cookie File\r\nexample.com\tFALSE\t/\tFALSE\t0\ta\t1\r\n.example.com\tTRUE\t/\tFALSE\t0\tb\t2\r\n"
        let contents = NetscapeCookieFormat.parse(text, now: JarFixture.now)
        #expect(contents.cookies.map(\.name) == ["a", "b"])
        #expect(contents.cookies.map(\.value) == ["1", "2"], "no carriage return left in a value")
    }

    @Test func test_K_40_anyExpiryInAFileCanBeWrittenBack() {
        let text = "example.com\tFALSE\t/\tFALSE\t9223372036854775807\ta\tb\n"
        let cookie = NetscapeCookieFormat.parse(text, now: JarFixture.now).cookies
        #expect(cookie.count == 1)
        let line = NetscapeCookieFormat.line(for: cookie[0])
        #expect(line == "example.com\tFALSE\t/\tFALSE\t253402300799\ta\tb")
        var far = cookie[0]
        far.expires = Date(timeIntervalSince1970: 1e300)
        #expect(NetscapeCookieFormat.line(for: far).contains("\t253402300799\t"))
    }

    @Test func test_K_25_aLoadedCookieScopedToAPublicSuffixIsSkipped() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-jar-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/cookies.txt"
        try Data(".com\tTRUE\t/\tFALSE\t0\tevil\t1\nexample.com\tFALSE\t/\tFALSE\t0\tgood\t1\n".utf8).write(to: URL(fileURLWithPath: path))
        let jar = try CookieJarFile(path: path).load(publicSuffixes: .builtIn, now: JarFixture.now)
        #expect(jar.allCookies(now: JarFixture.now).map(\.name) == ["good"])
    }

    @Test func test_form_anEmptyCommentDoesNotHideTheForm() {
        let html = "<!--><form method=post><input name=user><input type=password name=pw></form><!-- x -->"
        #expect(HTMLForm.forms(in: html).first?.hasPasswordField == true)
    }
}
