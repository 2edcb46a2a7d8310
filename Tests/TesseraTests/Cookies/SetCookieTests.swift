import Foundation
import Testing
@testable import Tessera

/// Security checklist section 4.1 (K-01 … K-13): the server-side `Set-Cookie`
/// serializer, plus the exact header format and HTTPDate.
@Suite("SetCookie serializer (CHECKLIST 4.1)")
struct SetCookieSerializerTests {
    /// Every header is built against the built-in list so results do not
    /// depend on whether the machine has Debian's `publicsuffix` installed.
    private static let suffixes = PublicSuffixList.builtIn

    private static func header(_ cookie: SetCookie) throws(CookieError) -> String {
        try cookie.headerValue(publicSuffixes: suffixes)
    }

    // MARK: - Defaults and exact format

    @Test func defaultHeaderIsExactlySafeDefaults() throws {
        let cookie = SetCookie(name: "sid", value: "abc")
        #expect(try Self.header(cookie) == "sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
        #expect(cookie.domain == nil)
        #expect(cookie.expires == nil)
        #expect(cookie.maxAge == nil)
        #expect(cookie.partitioned == false)
    }

    @Test func everySameSiteValueSerialisesExactly() throws {
        let expected: [(SameSite?, String)] = [
            (.strict, "a=b; Path=/; Secure; HttpOnly; SameSite=Strict"),
            (.lax, "a=b; Path=/; Secure; HttpOnly; SameSite=Lax"),
            (SameSite.none, "a=b; Path=/; Secure; HttpOnly; SameSite=None"),
            (nil, "a=b; Path=/; Secure; HttpOnly"),
        ]
        for (sameSite, header) in expected {
            #expect(try Self.header(SetCookie(name: "a", value: "b", sameSite: sameSite)) == header)
        }
        #expect(SameSite.allCases.map(\.rawValue) == ["Strict", "Lax", "None"])
    }

    @Test func attributesAreWrittenInFixedOrder() throws {
        let cookie = SetCookie(
            name: "id", value: "a3fWa", domain: "Example.COM", path: "/docs",
            expires: Date(timeIntervalSince1970: 1_257_894_000), maxAge: 3600,
            secure: true, httpOnly: true, sameSite: .strict, partitioned: true
        )
        #expect(try Self.header(cookie)
            == "id=a3fWa; Domain=example.com; Path=/docs; Max-Age=3600; Expires=Tue, 10 Nov 2009 23:00:00 GMT; Secure; HttpOnly; SameSite=Strict; Partitioned")
    }

    @Test func flagsOffAreOmitted() throws {
        let cookie = SetCookie(name: "pref", value: "dark", secure: false, httpOnly: false, sameSite: .lax)
        #expect(try Self.header(cookie) == "pref=dark; Path=/; SameSite=Lax")
        let bare = SetCookie(name: "pref", value: "dark", secure: false, httpOnly: false, sameSite: nil)
        #expect(try Self.header(bare) == "pref=dark; Path=/")
    }

    @Test func partitionedWithoutSecureThrows() throws {
        let cookie = SetCookie(name: "chip", value: "1", secure: false, sameSite: .lax, partitioned: true)
        let error = #expect(throws: CookieError.self) { try Self.header(cookie) }
        #expect(error == .partitionedRequiresSecure(name: "chip"))
        var secure = cookie
        secure.secure = true
        #expect(try Self.header(secure) == "chip=1; Path=/; Secure; HttpOnly; SameSite=Lax; Partitioned")
    }

    @Test func validateAcceptsAndRejectsLikeHeaderValue() throws {
        try SetCookie(name: "sid", value: "abc").validate()
        #expect(throws: CookieError.invalidName("a b")) { try SetCookie(name: "a b", value: "x").validate() }
    }

    // MARK: - HTTPDate

    @Test func httpDateFormatsIMFFixdate() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_257_894_000)) == "Tue, 10 Nov 2009 23:00:00 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        // Fractions round down, also before the epoch.
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_257_894_000.999)) == "Tue, 10 Nov 2009 23:00:00 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -0.5)) == "Wed, 31 Dec 1969 23:59:59 GMT")
        // Leap day.
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 GMT")
    }

    @Test func httpDateRangeIs1601Through9999() {
        // First representable instant, and the one before it (year 1600).
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -11_644_473_600)) == "Mon, 01 Jan 1601 00:00:00 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -11_644_473_601)) == nil)
        // Mid-1600.
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -11_660_000_000)) == nil)
        // Last representable instant, and the one after it (year 10000).
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 253_402_300_799)) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 253_402_300_800)) == nil)
        #expect(HTTPDate.format(Date.distantPast) == nil)
    }

    /// The DocC promises `nil` after year 9999; a date beyond the range of
    /// `Int64` seconds must not trap.
    @Test func httpDateFarFutureIsNilNotACrash() async {
        await #expect(processExitsWith: .success) {
            _ = HTTPDate.format(Date(timeIntervalSince1970: 1e20))
        }
    }

    // MARK: - K-01 … K-13

    @Test func test_K_01_name_must_be_token() throws {
        var invalid = ["", "a b", "a;b", "a=b", "a\tb", "a\u{7F}b", "a\u{0}b", "é", "a\"b"]
        invalid += "()<>@,;:\\\"/[]?={}".map { "a\($0)b" }
        for name in invalid {
            let error = #expect(throws: CookieError.self, "name \(name.debugDescription)") {
                try Self.header(SetCookie(name: name, value: "v"))
            }
            guard case .invalidName? = error else {
                Issue.record("name \(name.debugDescription): expected .invalidName, got \(String(describing: error))")
                continue
            }
        }
        // Every other visible ASCII character is a tchar.
        let token = "!#$%&'*+-.^_`|~09AZaz"
        #expect(try Self.header(SetCookie(name: token, value: "v")) == "\(token)=v; Path=/; Secure; HttpOnly; SameSite=Lax")
    }

    @Test func test_K_02_value_must_be_cookie_octets() throws {
        let cases: [(String, UInt8)] = [
            ("a b", 0x20), ("a,b", 0x2C), ("a;b", 0x3B), ("a\\b", 0x5C), ("é", 0xC3),
            ("a\"b", 0x22), ("\"", 0x22), ("a\tb", 0x09), ("a\u{7F}b", 0x7F), ("\"a b\"", 0x20),
        ]
        for (value, byte) in cases {
            let error = #expect(throws: CookieError.self, "value \(value.debugDescription)") {
                try Self.header(SetCookie(name: "c", value: value))
            }
            #expect(error == .invalidValue(name: "c", byte: byte), "value \(value.debugDescription)")
            // Messages never repeat the value.
            if let error, value.count > 1 {
                #expect(!error.description.contains(value))
            }
        }
        // Every cookie-octet, base64url text, an empty value and one pair of quotes are fine.
        let octets = String(decoding: (UInt8(0x21)...UInt8(0x7E)).filter { !"\",;\\".utf8.contains($0) }, as: UTF8.self)
        #expect(try Self.header(SetCookie(name: "c", value: octets)).hasPrefix("c=\(octets); Path=/"))
        #expect(try Self.header(SetCookie(name: "c", value: "")).hasPrefix("c=; Path=/"))
        #expect(try Self.header(SetCookie(name: "c", value: "\"quoted\"")).hasPrefix("c=\"quoted\"; Path=/"))
        #expect(try Self.header(SetCookie(name: "c", value: "\"\"")).hasPrefix("c=\"\"; Path=/"))
    }

    @Test func test_K_03_no_cr_lf_nul_anywhere() {
        for bad in ["\r\n", "\r", "\n", "\u{0}"] {
            let label = bad.debugDescription
            let badName = #expect(throws: CookieError.self, "name \(label)") {
                try Self.header(SetCookie(name: "a\(bad)Set-Cookie: x", value: "v"))
            }
            if case .invalidName(let printed)? = badName {
                #expect(!printed.contains("\r") && !printed.contains("\n") && !printed.contains("\u{0}"))
                #expect(badName.map { !$0.description.contains(bad) } == true)
            } else {
                Issue.record("name \(label): expected .invalidName, got \(String(describing: badName))")
            }

            let badValue = #expect(throws: CookieError.self, "value \(label)") {
                try Self.header(SetCookie(name: "a", value: "v\(bad)Set-Cookie: x=y"))
            }
            #expect(badValue == .invalidValue(name: "a", byte: bad.utf8.first!))

            let badPath = #expect(throws: CookieError.self, "path \(label)") {
                try Self.header(SetCookie(name: "a", value: "v", path: "/a\(bad)Set-Cookie: x=y"))
            }
            #expect(badPath == .invalidPath(name: "a"))

            let badDomain = #expect(throws: CookieError.self, "domain \(label)") {
                try Self.header(SetCookie(name: "a", value: "v", domain: "example.com\(bad)Set-Cookie: x=y"))
            }
            if case .invalidDomain(_, _, _)? = badDomain {
                #expect(badDomain.map { !$0.description.contains(bad) } == true, "domain message must escape control bytes")
            } else {
                Issue.record("domain \(label): expected .invalidDomain, got \(String(describing: badDomain))")
            }
        }
        // SameSite is an enum and there is no free-form extension attribute,
        // so no other attribute can carry CR/LF.
    }

    @Test func test_K_04_path_starts_with_slash_no_semicolon_or_ctl() throws {
        for path in ["foo", "", "a/b", "/a;b", "/a\u{1}b", "/a\u{7F}b", "/a\tb", " /a"] {
            let error = #expect(throws: CookieError.self, "path \(path.debugDescription)") {
                try Self.header(SetCookie(name: "a", value: "v", path: path))
            }
            #expect(error == .invalidPath(name: "a"), "path \(path.debugDescription)")
        }
        #expect(try Self.header(SetCookie(name: "a", value: "v", path: "/app/x-y_z.1")) == "a=v; Path=/app/x-y_z.1; Secure; HttpOnly; SameSite=Lax")
        #expect(try Self.header(SetCookie(name: "a", value: "v", path: "/")) == "a=v; Path=/; Secure; HttpOnly; SameSite=Lax")
    }

    @Test func test_K_05_domain_host_name_no_port_no_ip_no_public_suffix() throws {
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: ".example.com"))
            == "a=v; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax")
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: "WWW.Example.COM"))
            == "a=v; Domain=www.example.com; Path=/; Secure; HttpOnly; SameSite=Lax")
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: "example.co.uk")).contains("; Domain=example.co.uk;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: "my-app.github.io")).contains("; Domain=my-app.github.io;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: "xn--bcher-kva.de")).contains("; Domain=xn--bcher-kva.de;"))

        let refused = [
            "example.com:80", "::1", "[::1]", "127.0.0.1", "10.0.0.256", "1.2.3", "com", "co.uk", ".co.uk", "CO.UK",
            "github.io", "localhost", "", ".", "example..com", "example.com.", "-bad.example.com", "bad-.example.com",
            "bücher.de", "exa mple.com", "foo.ck", String(repeating: "a.", count: 127) + "com",
        ]
        for domain in refused {
            let error = #expect(throws: CookieError.self, "domain \(domain.debugDescription)") {
                try Self.header(SetCookie(name: "a", value: "v", domain: domain))
            }
            guard case .invalidDomain(let name, let given, _)? = error else {
                Issue.record("domain \(domain.debugDescription): expected .invalidDomain, got \(String(describing: error))")
                continue
            }
            #expect(name == "a")
            #expect(given == domain)
        }
        // The exception rule of the built-in list (`!www.ck`) makes www.ck registrable.
        #expect(try Self.header(SetCookie(name: "a", value: "v", domain: "www.ck")).contains("; Domain=www.ck;"))
        // The reason names the problem.
        if case .invalidDomain(_, _, let reason)? = #expect(throws: CookieError.self, performing: {
            try Self.header(SetCookie(name: "a", value: "v", domain: "example.com:80"))
        }) {
            #expect(reason.contains("port"))
        }
        if case .invalidDomain(_, _, let reason)? = #expect(throws: CookieError.self, performing: {
            try Self.header(SetCookie(name: "a", value: "v", domain: "co.uk"))
        }) {
            #expect(reason.contains("public suffix"))
        }
    }

    @Test func test_K_06_expires_imf_fixdate_year_1601_or_later() throws {
        let cookie = SetCookie(name: "a", value: "v", expires: Date(timeIntervalSince1970: 1_257_894_000))
        #expect(try Self.header(cookie) == "a=v; Path=/; Expires=Tue, 10 Nov 2009 23:00:00 GMT; Secure; HttpOnly; SameSite=Lax")

        // 1600-07-01: not expressible, refused (not silently dropped).
        let year1600 = SetCookie(name: "a", value: "v", expires: Date(timeIntervalSince1970: -11_660_000_000))
        #expect(HTTPDate.format(year1600.expires!) == nil)
        #expect(throws: CookieError.invalidExpires(name: "a")) { try Self.header(year1600) }
    }

    @Test func test_K_07_max_age_clamped_and_deletion_format() throws {
        let cap = 400 * 86_400
        #expect(SetCookie.maximumMaxAge == 34_560_000)
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: cap)).contains("; Max-Age=34560000;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: cap + 1)).contains("; Max-Age=34560000;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: Int.max)).contains("; Max-Age=34560000;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: -5)).contains("; Max-Age=0;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: Int.min)).contains("; Max-Age=0;"))
        #expect(try Self.header(SetCookie(name: "a", value: "v", maxAge: 3600)) == "a=v; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax")

        // Deletion: exact prefix, security attributes of the original kept.
        let original = SetCookie(name: "sid", value: "secret-token", maxAge: 3600, secure: true, httpOnly: true, sameSite: .strict)
        let deletion = original.deletion()
        let deletionHeader = try Self.header(deletion)
        #expect(deletionHeader == "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Strict")
        #expect(deletionHeader.hasPrefix("sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
        #expect(!deletionHeader.contains("secret-token"))
        #expect(deletion.secure == original.secure && deletion.httpOnly == original.httpOnly && deletion.sameSite == original.sameSite)

        // Same Path and Domain as the original.
        let scoped = SetCookie(name: "pref", value: "x", domain: ".Example.com", path: "/app", secure: false, httpOnly: false, sameSite: nil)
        #expect(try Self.header(scoped.deletion())
            == "pref=; Domain=example.com; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")

        // A __Host- deletion is itself a valid __Host- cookie.
        let host = SetCookie(name: "__Host-sid", value: "x", sameSite: SameSite.none, partitioned: true)
        #expect(try Self.header(host.deletion())
            == "__Host-sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None; Partitioned")
    }

    @Test func test_K_08_samesite_none_requires_secure() throws {
        let cookie = SetCookie(name: "a", value: "v", secure: false, sameSite: SameSite.none)
        #expect(throws: CookieError.sameSiteNoneRequiresSecure(name: "a")) { try Self.header(cookie) }
        // Strict and Lax do not need Secure.
        #expect(try Self.header(SetCookie(name: "a", value: "v", secure: false, sameSite: .strict)) == "a=v; Path=/; HttpOnly; SameSite=Strict")
        #expect(try Self.header(SetCookie(name: "a", value: "v", secure: false, sameSite: .lax)) == "a=v; Path=/; HttpOnly; SameSite=Lax")
        #expect(try Self.header(SetCookie(name: "a", value: "v", secure: true, sameSite: SameSite.none)) == "a=v; Path=/; Secure; HttpOnly; SameSite=None")
    }

    @Test func test_K_09_secure_prefix_requires_secure() throws {
        for name in ["__Secure-x", "__secure-x", "__SECURE-x", "__SeCuRe-x"] {
            #expect(throws: CookieError.securePrefixRequiresSecure(name: name), "name \(name)") {
                try Self.header(SetCookie(name: name, value: "v", secure: false))
            }
            #expect(try Self.header(SetCookie(name: name, value: "v", secure: true)).hasPrefix("\(name)=v; Path=/; Secure"))
        }
        #expect(CookiePrefix(name: "__secure-x") == .secure)
        #expect(CookiePrefix(name: "__Secure") == nil)
        #expect(CookiePrefix(name: "_Secure-x") == nil)
        // Not a prefix: a non-secure cookie with a look-alike name is fine.
        #expect(try Self.header(SetCookie(name: "x__Secure-", value: "v", secure: false)) == "x__Secure-=v; Path=/; HttpOnly; SameSite=Lax")
    }

    @Test func test_K_10_host_prefix_requires_secure_no_domain_path_root() throws {
        for name in ["__Host-x", "__HOST-x", "__host-x"] {
            #expect(CookiePrefix(name: name) == .host)
            // Secure but Path is not "/".
            let wrongPath = #expect(throws: CookieError.self, "\(name) with Path=/app") {
                try Self.header(SetCookie(name: name, value: "v", path: "/app", secure: true))
            }
            guard case .hostPrefixViolation(let errorName, _)? = wrongPath else {
                Issue.record("\(name) with Path=/app: expected .hostPrefixViolation, got \(String(describing: wrongPath))")
                continue
            }
            #expect(errorName == name)
            // With a Domain.
            let withDomain = #expect(throws: CookieError.self, "\(name) with Domain") {
                try Self.header(SetCookie(name: name, value: "v", domain: "example.com", secure: true))
            }
            guard case .hostPrefixViolation? = withDomain else {
                Issue.record("\(name) with Domain: expected .hostPrefixViolation, got \(String(describing: withDomain))")
                continue
            }
            // Without Secure.
            let insecure = #expect(throws: CookieError.self, "\(name) without Secure") {
                try Self.header(SetCookie(name: name, value: "v", secure: false))
            }
            guard case .hostPrefixViolation? = insecure else {
                Issue.record("\(name) without Secure: expected .hostPrefixViolation, got \(String(describing: insecure))")
                continue
            }
            // Everything right.
            #expect(try Self.header(SetCookie(name: name, value: "v")) == "\(name)=v; Path=/; Secure; HttpOnly; SameSite=Lax")
        }
    }

    @Test func test_K_11_name_value_4096_attribute_1024() throws {
        // name + value: 4096 accepted, 4097 refused.
        let fits = SetCookie(name: "a", value: String(repeating: "x", count: 4095))
        #expect(try Self.header(fits).hasPrefix("a=" + String(repeating: "x", count: 4095) + "; Path=/"))
        let tooBig = SetCookie(name: "a", value: String(repeating: "x", count: 4096))
        #expect(throws: CookieError.tooLarge(name: "a", byteCount: 4097)) { try Self.header(tooBig) }

        // Path: 1024 accepted, 1025 refused.
        let path1024 = "/" + String(repeating: "p", count: 1023)
        #expect(try Self.header(SetCookie(name: "a", value: "v", path: path1024)).contains("; Path=\(path1024);"))
        let path1025 = "/" + String(repeating: "p", count: 1024)
        #expect(throws: CookieError.attributeTooLong(name: "a", attribute: "Path", byteCount: 1025)) {
            try Self.header(SetCookie(name: "a", value: "v", path: path1025))
        }

        // Domain: over 1024 is refused as too long.
        let longDomain = String(repeating: "a.", count: 513) + "com"
        #expect(throws: CookieError.attributeTooLong(name: "a", attribute: "Domain", byteCount: longDomain.utf8.count)) {
            try Self.header(SetCookie(name: "a", value: "v", domain: longDomain))
        }
    }

    @Test func test_K_12_one_set_cookie_per_name_domain_path() throws {
        var response = ResponseCookies()
        response.set(SetCookie(name: "sid", value: "first"))
        response.set(SetCookie(name: "other", value: "1"))
        response.set(SetCookie(name: "sid", value: "second"))
        #expect(response.all.map(\.value) == ["1", "second"])
        #expect(try response.headerValues(publicSuffixes: Self.suffixes) == [
            "other=1; Path=/; Secure; HttpOnly; SameSite=Lax",
            "sid=second; Path=/; Secure; HttpOnly; SameSite=Lax",
        ])

        // A different path or domain is a different cookie.
        response.set(SetCookie(name: "sid", value: "app", path: "/app"))
        response.set(SetCookie(name: "sid", value: "shared", domain: "example.com"))
        #expect(response.all.count == 4)
        // The leading dot and case of Domain do not make a new identity.
        response.set(SetCookie(name: "sid", value: "shared2", domain: ".EXAMPLE.com"))
        #expect(response.all.count == 4)
        #expect(response.all.filter { $0.domain != nil }.map(\.value) == ["shared2"])
        // Names are case-sensitive.
        response.set(SetCookie(name: "SID", value: "upper"))
        #expect(response.all.count == 5)

        // A deletion replaces the pending set of the same cookie.
        response.delete(SetCookie(name: "sid", value: "ignored"))
        let root = response.all.filter { $0.name == "sid" && $0.domain == nil && $0.path == "/" }
        #expect(root.count == 1)
        #expect(root.first?.value == "")
        #expect(root.first?.maxAge == 0)
        let headers = try response.headerValues(publicSuffixes: Self.suffixes)
        #expect(headers.filter { $0.hasPrefix("sid=") && $0.contains("; Path=/;") && !$0.contains("Domain") }
            == ["sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax"])
    }

    @Test func test_K_13_one_cookie_per_header_line() throws {
        var response = ResponseCookies()
        response.set(SetCookie(name: "a", value: "1", expires: Date(timeIntervalSince1970: 1_257_894_000)))
        response.set(SetCookie(name: "b", value: "2"))
        let headers = try response.headerValues(publicSuffixes: Self.suffixes)
        #expect(headers == [
            "a=1; Path=/; Expires=Tue, 10 Nov 2009 23:00:00 GMT; Secure; HttpOnly; SameSite=Lax",
            "b=2; Path=/; Secure; HttpOnly; SameSite=Lax",
        ])
        for header in headers {
            #expect(!header.contains("\r") && !header.contains("\n"))
        }
        // An invalid cookie fails the whole response rather than being skipped.
        response.set(SetCookie(name: "bad name", value: "x"))
        #expect(throws: CookieError.invalidName("bad name")) { try response.headerValues(publicSuffixes: Self.suffixes) }
        #expect(ResponseCookies().all.isEmpty)
        #expect(try ResponseCookies().headerValues(publicSuffixes: Self.suffixes).isEmpty)
    }
}
