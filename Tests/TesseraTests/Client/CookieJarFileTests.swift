import Foundation
import Testing
import Tessera
@testable import TesseraClient

/// CHECKLIST rows K-33 (export), K-36 and K-40: the `cookies.txt` format of
/// Netscape and curl, and ``CookieJarFile`` (mode 0600, merging saves).
@Suite("cookies.txt and CookieJarFile (CHECKLIST K-33, K-36, K-40)")
struct ClientCookieJarFileTests {
    let now = JarFixture.now

    /// The cookie lines of a file: everything but comments and blank lines (`#HttpOnly_` lines are cookies).
    static func cookieLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && (!$0.hasPrefix("#") || $0.hasPrefix("#HttpOnly_")) }
    }

    /// A fresh directory, removed afterwards; `body` gets the path of a `cookies.txt` inside a not-yet-created subdirectory.
    func withJarPath<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-jar-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory + "/tessera/cookies.txt")
    }

    func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o7777
    }

    func contents(of path: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
    }

    // MARK: - K-40 the format

    /// The jar the task brief quotes, as curl writes it.
    static let curlJar = """
    # Netscape HTTP Cookie File
    #HttpOnly_.example.com\tTRUE\t/\tFALSE\t2147483647\tckyPersistent\tpermanent
    .example.com\tTRUE\t/\tFALSE\t0\tckySession\ttemporary
    www.example.com\tFALSE\t/we/want/\tFALSE\t2147483647\ttest\tvalue

    """

    /// curl `tests/data/test31`: the jar curl is expected to write (the 32-bit-time variant).
    static let curlTest31Lines = [
        "test31.curl\tFALSE\t/we/want/\tFALSE\t0\tprespace\tyes before",
        "test31.curl\tFALSE\t/we/want/\tFALSE\t0\twithspaces2\tbefore equals",
        "test31.curl\tFALSE\t/we/want/\tFALSE\t0\twithspaces\tyes  within and around",
        ".test31.curl\tTRUE\t/we/want/\tFALSE\t0\tblexp\tyesyes",
        "#HttpOnly_test31.curl\tFALSE\t/silly/\tFALSE\t0\tmagic\tyessir",
        "test31.curl\tFALSE\t/we/want/\tFALSE\t2118138987\tnodomain\tvalue",
        ".test31.curl\tTRUE\t/\tFALSE\t0\tpartmatch\tpresent",
        "#HttpOnly_.test31.curl\tTRUE\t/p4/\tFALSE\t0\thttponly\tmyvalue1",
        "#HttpOnly_.test31.curl\tTRUE\t/p4/\tFALSE\t0\thttpo4\tvalue4",
        "#HttpOnly_.test31.curl\tTRUE\t/p3/\tFALSE\t0\thttpo3\tvalue3",
        "#HttpOnly_.test31.curl\tTRUE\t/p2/\tFALSE\t0\thttpo2\tvalue2",
        "#HttpOnly_.test31.curl\tTRUE\t/p1/\tFALSE\t0\thttpo1\tvalue1",
        ".test31.curl\tTRUE\t/overwrite\tFALSE\t0\toverwrite\tthis2",
        ".test31.curl\tTRUE\t/silly/\tFALSE\t0\tismatch\tthis",
        "test31.curl\tFALSE\t/\tFALSE\t0\tblankdomain\tsure",
    ]

    @Test func test_K_40_curlsColumnsMeanWhatCurlSays() throws {
        let contents = NetscapeCookieFormat.parse(Self.curlJar, now: now)
        #expect(contents.skippedLines == 0)
        try #require(contents.cookies.count == 3)
        let (persistent, session, plain) = (contents.cookies[0], contents.cookies[1], contents.cookies[2])

        #expect(persistent.name == "ckyPersistent" && persistent.value == "permanent")
        #expect(persistent.domain == "example.com" && !persistent.hostOnly)
        #expect(persistent.httpOnly && !persistent.secure && persistent.path == "/")
        #expect(persistent.expires == Date(timeIntervalSince1970: 2_147_483_647))

        #expect(session.name == "ckySession" && session.expires == nil && !session.httpOnly)

        #expect(plain.domain == "www.example.com" && plain.hostOnly && plain.path == "/we/want/")
    }

    @Test func test_K_40_curlsJarRoundTripsLineForLine() throws {
        let contents = NetscapeCookieFormat.parse(Self.curlJar, now: now)
        let rendered = NetscapeCookieFormat.render(contents.cookies, keepingSessionCookies: true)
        #expect(Self.cookieLines(rendered) == Self.cookieLines(Self.curlJar))
        #expect(rendered.hasPrefix("# Netscape HTTP Cookie File\n"))
    }

    /// Found by the set-cookie fuzz target: "/" and a combining mark make one
    /// Character, so a Character-wise "starts with /" dropped the cookie on load.
    @Test func test_K_40_aPathWithACombiningMarkAfterTheSlashReadsBack() throws {
        let jar = JarFixture.jar()
        let outcome = jar.store(setCookie: "a=b; Path=/\u{65A}x", from: try JarFixture.url("https://www.example.com/"), now: now)
        guard case .stored(let cookie) = outcome else { Issue.record("not stored: \(outcome)"); return }
        let rendered = NetscapeCookieFormat.render([cookie], keepingSessionCookies: true)
        let contents = NetscapeCookieFormat.parse(rendered, now: now)
        #expect(contents.skippedLines == 0)
        #expect(contents.cookies.map(\.path) == ["/\u{65A}x"])
    }

    /// Found by the set-cookie fuzz target: U+037E GREEK QUESTION MARK is
    /// canonically equivalent to ";", so a Character-wise "no ; in the
    /// value" dropped on load a cookie the jar had stored; a real ";" still
    /// makes the line invalid.
    @Test func test_K_40_aValueWithAGreekQuestionMarkReadsBack() throws {
        let jar = JarFixture.jar()
        let outcome = jar.store(setCookie: "a=x\u{37E}y", from: try JarFixture.url("https://www.example.com/"), now: now)
        guard case .stored(let cookie) = outcome else { Issue.record("not stored: \(outcome)"); return }
        let contents = NetscapeCookieFormat.parse(NetscapeCookieFormat.render([cookie], keepingSessionCookies: true), now: now)
        #expect(contents.skippedLines == 0)
        #expect(contents.cookies.map { Array($0.value.unicodeScalars) } == [Array("x\u{37E}y".unicodeScalars)])
        let real = NetscapeCookieFormat.parse("www.example.com\tFALSE\t/\tFALSE\t0\ta\tx;y\n", now: now)
        #expect(real.cookies.isEmpty && real.skippedLines == 1)
    }

    /// Found by the cookies-txt fuzz target: "..com" loaded as the domain
    /// ".com", which was written back as "com", a public suffix.
    @Test func test_K_40_aDomainWithAnEmptyLabelIsSkipped() {
        for domain in ["..com", "...example.com", ".a..example.com"] {
            let contents = NetscapeCookieFormat.parse("\(domain)\tFALSE\t/\tFALSE\t0\tsession\t1\n", now: now)
            #expect(contents.cookies.isEmpty && contents.skippedLines == 1, "\(domain)")
        }
    }

    @Test func test_K_40_curlTest31sExpectedJarRoundTrips() throws {
        let text = "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n" + Self.curlTest31Lines.joined(separator: "\n") + "\n"
        let contents = NetscapeCookieFormat.parse(text, now: now)
        #expect(contents.skippedLines == 0)
        #expect(contents.cookies.count == Self.curlTest31Lines.count)
        #expect(Self.cookieLines(NetscapeCookieFormat.render(contents.cookies, keepingSessionCookies: true)) == Self.curlTest31Lines)
    }

    @Test func test_K_40_curlsCookiesAreSentFromALoadedJar() async throws {
        try await withJarPath { path in
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(Self.curlTest31Lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
            let jar = try CookieJarFile(path: path).load(publicSuffixes: .builtIn, now: now)
            // Longer paths first; equal paths in file order.
            #expect(try jar.header(for: "http://test31.curl/we/want/31")
                == "prespace=yes before; withspaces2=before equals; withspaces=yes  within and around; blexp=yesyes; nodomain=value; partmatch=present; blankdomain=sure")
            #expect(try jar.header(for: "http://sub.test31.curl/p4/") == "httponly=myvalue1; httpo4=value4; partmatch=present")
        }
    }

    @Test func test_K_40_theFileIsWrittenAndReadBackThroughCookieJarFile() async throws {
        try await withJarPath { path in
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(Self.curlJar.utf8).write(to: URL(fileURLWithPath: path))
            let file = CookieJarFile(path: path)
            try file.save(try file.load(publicSuffixes: .builtIn, now: now), keepingSessionCookies: true, now: now)
            #expect(Self.cookieLines(try contents(of: path)) == Self.cookieLines(Self.curlJar))
        }
    }

    @Test func test_K_40_columnsForDomainHostOnlySecureAndExpiry() throws {
        let jar = JarFixture.jar()
        try jar.store("d=1; Domain=example.com; Path=/app; Max-Age=3600", from: "https://www.example.com/")
        try jar.store("h=2; Secure; Path=/; Max-Age=60", from: "https://www.example.com/")
        let lines = Self.cookieLines(NetscapeCookieFormat.render(jar.allCookies(now: now), keepingSessionCookies: false))
        #expect(lines == [
            ".example.com\tTRUE\t/app\tFALSE\t1700003600\td\t1",
            "www.example.com\tFALSE\t/\tTRUE\t1700000060\th\t2",
        ])
    }

    @Test func test_K_40_theFileIsCreatedWithMode0600() async throws {
        try await withJarPath { path in
            let jar = JarFixture.jar()
            try jar.store("sid=abc; Max-Age=3600", from: "https://www.example.com/")
            try CookieJarFile(path: path).save(jar, keepingSessionCookies: false, now: now)
            #expect(try mode(of: path) == 0o600)
            #expect(Self.cookieLines(try contents(of: path)) == ["www.example.com\tFALSE\t/\tFALSE\t1700003600\tsid\tabc"])
        }
    }

    @Test func test_K_40_aWorldReadableFileBecomes0600WhenSaved() async throws {
        try await withJarPath { path in
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.curlJar.utf8), attributes: [.posixPermissions: 0o644]))
            #expect(try mode(of: path) == 0o644)
            let file = CookieJarFile(path: path)
            try file.save(try file.load(publicSuffixes: .builtIn, now: now), keepingSessionCookies: true, now: now)
            #expect(try mode(of: path) == 0o600)
        }
    }

    @Test func test_K_40_malformedAndExpiredLinesAreSkipped() {
        let text = """
        # comment
        not a cookie line
        example.com\tMAYBE\t/\tFALSE\t0\ta\t1
        example.com\tFALSE\tnoslash\tFALSE\t0\tb\t1
        example.com\tFALSE\t/\tFALSE\tsoon\tc\t1
        example.com\tFALSE\t/\tFALSE\t1000\texpired\t1
        .example.com\tTRUE\t/\tTRUE\t0\t__Host-d\t1
        example.com\tFALSE\t/\tFALSE\t0\t__Secure-e\t1
        example.com\tFALSE\t/\tFALSE\t0\tgood\t1
        """
        let contents = NetscapeCookieFormat.parse(text, now: now)
        #expect(contents.cookies.map(\.name) == ["good"])
        #expect(contents.skippedLines == 6, "every line but the comment, the expired cookie and the good one")
    }

    // MARK: - K-33 HttpOnly export

    @Test func test_K_33_httpOnlyCookiesAreExportedWithTheCurlPrefix() throws {
        let jar = JarFixture.jar()
        try jar.store("sid=abc; HttpOnly; Domain=example.com; Max-Age=3600", from: "https://www.example.com/")
        try jar.store("plain=1; Max-Age=3600", from: "https://www.example.com/")
        let lines = Self.cookieLines(NetscapeCookieFormat.render(jar.allCookies(now: now), keepingSessionCookies: false))
        #expect(lines == [
            "#HttpOnly_.example.com\tTRUE\t/\tFALSE\t1700003600\tsid\tabc",
            "www.example.com\tFALSE\t/\tFALSE\t1700003600\tplain\t1",
        ])
        // And the flag survives a reload.
        let reloaded = NetscapeCookieFormat.parse(lines.joined(separator: "\n"), now: now).cookies
        #expect(reloaded.map(\.httpOnly) == [true, false])
    }

    // MARK: - K-36 session cookies

    @Test func test_K_36_sessionCookiesAreLeftOutUnlessKeptAndThenHaveExpiryZero() throws {
        let jar = JarFixture.jar()
        try jar.store("session=1", from: "https://www.example.com/")
        try jar.store("persistent=2; Max-Age=3600", from: "https://www.example.com/")
        let dropped = Self.cookieLines(NetscapeCookieFormat.render(jar.allCookies(now: now), keepingSessionCookies: false))
        #expect(dropped == ["www.example.com\tFALSE\t/\tFALSE\t1700003600\tpersistent\t2"])
        let kept = Self.cookieLines(NetscapeCookieFormat.render(jar.allCookies(now: now), keepingSessionCookies: true))
        #expect(kept == [
            "www.example.com\tFALSE\t/\tFALSE\t0\tsession\t1",
            "www.example.com\tFALSE\t/\tFALSE\t1700003600\tpersistent\t2",
        ])
    }

    @Test func test_K_36_savingWithoutKeepingSessionCookiesEndsTheSession() async throws {
        try await withJarPath { path in
            let file = CookieJarFile(path: path)
            let jar = try file.load(publicSuffixes: .builtIn, now: now)
            try jar.store("session=1", from: "https://www.example.com/")
            try jar.store("persistent=2; Max-Age=3600", from: "https://www.example.com/")
            try file.save(jar, keepingSessionCookies: false, now: now)
            let reloaded = try file.load(publicSuffixes: .builtIn, now: now)
            #expect(reloaded.allCookies(now: now).map(\.name) == ["persistent"])
            #expect(!(try contents(of: path)).contains("session"))

            // A save writes the changes since the previous save: the session that ended stays ended,
            // and a session cookie received later is kept when asked.
            try jar.store("later=3", from: "https://www.example.com/")
            try file.save(jar, keepingSessionCookies: true, now: now)
            let withSession = try file.load(publicSuffixes: .builtIn, now: now)
            #expect(Set(withSession.allCookies(now: now).map(\.name)) == ["later", "persistent"])
            #expect(withSession.only("later")?.expires == nil, "expiry 0 reads back as a session cookie")
        }
    }

    // MARK: - Sharing one file

    @Test func test_K_40_twoJarsLoadedFromOneFileBothKeepTheirCookies() async throws {
        try await withJarPath { path in
            let file = CookieJarFile(path: path)
            let first = try file.load(publicSuffixes: .builtIn, now: now)
            let second = try file.load(publicSuffixes: .builtIn, now: now)
            try first.store("one=1; Max-Age=3600", from: "https://a.example.com/")
            try second.store("two=2; Max-Age=3600", from: "https://b.example.com/")
            try file.save(first, keepingSessionCookies: false, now: now)
            try file.save(second, keepingSessionCookies: false, now: now)
            let merged = try file.load(publicSuffixes: .builtIn, now: now)
            #expect(Set(merged.allCookies(now: now).map(\.name)) == ["one", "two"])
            #expect(try mode(of: path) == 0o600)
        }
    }

    @Test func test_K_40_twentyConcurrentSavesLoseNothing() async throws {
        try await withJarPath { path in
            let now = self.now
            let tasks = (0..<20).map { index in
                Task.detached {
                    let file = CookieJarFile(path: path)
                    let jar = try file.load(publicSuffixes: .builtIn, now: now)
                    jar.store(setCookie: "c\(index)=\(index); Max-Age=3600", from: CookieURL("https://www.example.com/")!, now: now)
                    try file.save(jar, keepingSessionCookies: false, now: now)
                }
            }
            for task in tasks { try await task.value }
            let merged = try CookieJarFile(path: path).load(publicSuffixes: .builtIn, now: now)
            #expect(Set(merged.allCookies(now: now).map(\.name)) == Set((0..<20).map { "c\($0)" }))
        }
    }

    @Test func test_K_40_onlyJarsLoadedFromAFileRecordChangesAndASaveForgetsThem() async throws {
        // A long-lived in-memory jar (a server's HTTP client) must not grow a change log.
        let memory = JarFixture.jar()
        for index in 0..<100 { try memory.store("c\(index)=1", from: "https://example.com/") }
        #expect(memory.unsavedChanges == nil)
        try await withJarPath { path in
            let file = CookieJarFile(path: path)
            let jar = try file.load(publicSuffixes: .builtIn, now: JarFixture.now)
            try jar.store("a=1; Max-Age=600", from: "https://example.com/")
            try jar.store("bad=1; Domain=other.test", from: "https://example.com/")
            #expect(jar.unsavedChanges?.count == 1, "a rejected cookie is not a change")
            try file.save(jar, keepingSessionCookies: false, now: JarFixture.now)
            #expect(jar.unsavedChanges?.isEmpty == true)
        }
    }

    @Test func test_K_40_savingAgainDoesNotUndoWhatAnotherJarSavedSince() async throws {
        try await withJarPath { path in
            let file = CookieJarFile(path: path)
            let url = try JarFixture.url("https://www.example.com/")
            let first = try file.load(publicSuffixes: .builtIn, now: now)
            first.store(setCookie: "sid=old; Max-Age=3600", from: url, now: now)
            first.store(setCookie: "gone=1; Max-Age=3600", from: url, now: now)
            try file.save(first, keepingSessionCookies: false, now: now)

            // Another process logs in again and drops `gone` after the first save.
            let second = try file.load(publicSuffixes: .builtIn, now: now)
            second.store(setCookie: "sid=new; Max-Age=3600", from: url, now: now.addingTimeInterval(1))
            second.store(setCookie: "gone=; Max-Age=0", from: url, now: now.addingTimeInterval(1))
            try file.save(second, keepingSessionCookies: false, now: now.addingTimeInterval(1))

            // The first saves once more, with one new cookie of its own.
            first.store(setCookie: "extra=1; Max-Age=3600", from: url, now: now.addingTimeInterval(2))
            try file.save(first, keepingSessionCookies: false, now: now.addingTimeInterval(2))

            let merged = try file.load(publicSuffixes: .builtIn, now: now.addingTimeInterval(2))
            #expect(merged.only("extra")?.value == "1")
            // A save replays only the changes since the previous save, so the first jar's
            // already-saved `sid=old` and `gone=1` do not overwrite the second jar's newer ones.
            #expect(merged.only("sid")?.value == "new", "the newer login must not be replaced by a change already saved")
            #expect(merged.only("gone") == nil, "a cookie deleted since must stay deleted")
        }
    }
}
