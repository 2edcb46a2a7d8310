import Testing
@testable import Tessera

/// CS-C11 / F-06: the case tables of Go 1.25's `net/http/csrf_test.go`
/// (`CrossOriginProtection`, after the go.dev/issue/75054 fix), as inputs
/// and expected outcomes. Go answers 200 or 403; each row here also names
/// the reason code a refusal must carry.
///
/// Go lets a request with no `Sec-Fetch-Site` and no `Origin` through;
/// Tessera does too under `requireTokenWhenOriginAbsent: false`, which the
/// Go tables run with. The default policy asks such requests for a token,
/// which the last test of each table pins.
@Suite("CSRF: Go CrossOriginProtection tables (CS-C11)")
struct CSRFCrossOriginTableTests {
    typealias Outcome = CSRFFixture.Outcome

    /// Go's policy: no token fallback.
    static let goPolicy = CSRFConfiguration(requireTokenWhenOriginAbsent: false)

    struct FetchSiteCase: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let fetchSite: String?
        let origin: String?
        let expected: Outcome
        var testDescription: String { name }
    }

    /// `TestCrossOriginProtectionSecFetchSite`, target `https://example.com/`.
    static let fetchSiteCases: [FetchSiteCase] = [
        .init(name: "same-origin allowed", method: "POST", fetchSite: "same-origin", origin: nil, expected: .allow),
        .init(name: "none allowed", method: "POST", fetchSite: "none", origin: nil, expected: .allow),
        .init(name: "cross-site blocked", method: "POST", fetchSite: "cross-site", origin: nil, expected: .deny(.crossSiteFetch)),
        .init(name: "same-site blocked", method: "POST", fetchSite: "same-site", origin: nil, expected: .deny(.crossSiteFetch)),
        .init(name: "no header with no origin", method: "POST", fetchSite: nil, origin: nil, expected: .allow),
        .init(name: "no header with matching origin", method: "POST", fetchSite: nil, origin: "https://example.com", expected: .allow),
        .init(name: "no header with mismatched origin", method: "POST", fetchSite: nil, origin: "https://attacker.example",
              expected: .deny(.originUntrusted)),
        .init(name: "no header with null origin", method: "POST", fetchSite: nil, origin: "null", expected: .deny(.originNull)),
        .init(name: "GET allowed", method: "GET", fetchSite: "cross-site", origin: nil, expected: .allow),
        .init(name: "HEAD allowed", method: "HEAD", fetchSite: "cross-site", origin: nil, expected: .allow),
        .init(name: "OPTIONS allowed", method: "OPTIONS", fetchSite: "cross-site", origin: nil, expected: .allow),
        .init(name: "PUT blocked", method: "PUT", fetchSite: "cross-site", origin: nil, expected: .deny(.crossSiteFetch)),
    ]

    @Test("CS-C11: Sec-Fetch-Site table", arguments: fetchSiteCases)
    func test_CS_C11_secFetchSiteTable(row: FetchSiteCase) {
        let protection = CSRFProtection(configuration: Self.goPolicy)
        let request = CSRFFixture.request(row.method, fetchSite: row.fetchSite, origin: row.origin)
        #expect(Outcome(protection.check(request, sessionSecret: nil)) == row.expected)
    }

    @Test func test_CS_C11_defaultPolicyAsksHeaderlessRequestsForAToken() {
        let protection = CSRFProtection()
        #expect(Outcome(protection.check(CSRFFixture.request(), sessionSecret: nil)) == .deny(.tokenMissing))
        // Every other row of Go's table has the same outcome under the default policy.
        for row in Self.fetchSiteCases where row.fetchSite != nil || row.origin != nil {
            let request = CSRFFixture.request(row.method, fetchSite: row.fetchSite, origin: row.origin)
            #expect(Outcome(protection.check(request, sessionSecret: nil)) == row.expected, "\(row.name)")
        }
    }

    struct TrustedCase: Sendable, CustomTestStringConvertible {
        let name: String
        let origin: String
        let fetchSite: String?
        let expected: Outcome
        var testDescription: String { name }
    }

    /// `TestCrossOriginProtectionTrustedOriginBypass`.
    static let trustedCases: [TrustedCase] = [
        .init(name: "trusted origin without sec-fetch-site", origin: "https://trusted.example", fetchSite: nil, expected: .allow),
        .init(name: "trusted origin with cross-site", origin: "https://trusted.example", fetchSite: "cross-site", expected: .allow),
        .init(name: "untrusted origin without sec-fetch-site", origin: "https://attacker.example", fetchSite: nil,
              expected: .deny(.originUntrusted)),
        .init(name: "untrusted origin with cross-site", origin: "https://attacker.example", fetchSite: "cross-site",
              expected: .deny(.crossSiteFetch)),
    ]

    @Test("CS-C11: trusted-origin table", arguments: trustedCases)
    func test_CS_C11_trustedOriginTable(row: TrustedCase) throws {
        for requireToken in [false, true] {
            let configuration = try CSRFConfiguration(trustedOrigins: ["https://trusted.example"], requireTokenWhenOriginAbsent: requireToken)
            let request = CSRFFixture.request(fetchSite: row.fetchSite, origin: row.origin)
            #expect(Outcome(CSRFProtection(configuration: configuration).check(request, sessionSecret: nil)) == row.expected)
        }
    }

    struct BypassCase: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let fetchSite: String?
        let expected: Outcome
        var testDescription: String { name }
    }

    static let bypassPatterns = [
        "/bypass/", "/only/{foo}", "/no-trailing", "/yes-trailing/", "PUT /put-only/", "GET /get-only/", "POST /post-only/",
    ]

    /// `TestCrossOriginProtectionPatternBypass`: POST from `https://attacker.example`.
    static let bypassCases: [BypassCase] = [
        .init(name: "bypass path without sec-fetch-site", path: "/bypass/", fetchSite: nil, expected: .allow),
        .init(name: "bypass path with cross-site", path: "/bypass/", fetchSite: "cross-site", expected: .allow),
        .init(name: "non-bypass path without sec-fetch-site", path: "/api/", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "non-bypass path with cross-site", path: "/api/", fetchSite: "cross-site", expected: .deny(.crossSiteFetch)),
        .init(name: "redirect to bypass path without ..", path: "/foo/../bypass/bar", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "redirect to bypass path with trailing slash", path: "/bypass", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "redirect to non-bypass path with ..", path: "/foo/../api/bar", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "redirect to non-bypass path with trailing slash", path: "/api", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "wildcard bypass", path: "/only/123", fetchSite: nil, expected: .allow),
        .init(name: "non-wildcard", path: "/only/123/foo", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "no trailing slash exact match", path: "/no-trailing", fetchSite: nil, expected: .allow),
        .init(name: "no trailing slash with slash", path: "/no-trailing/", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "yes trailing slash exact match", path: "/yes-trailing/", fetchSite: nil, expected: .allow),
        .init(name: "yes trailing slash without slash", path: "/yes-trailing", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "method-specific hit", path: "/post-only/", fetchSite: nil, expected: .allow),
        .init(name: "method-specific miss (PUT)", path: "/put-only/", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "method-specific miss (GET)", path: "/get-only/", fetchSite: nil, expected: .deny(.originUntrusted)),
    ]

    @Test("CS-C11: bypass-pattern table", arguments: bypassCases)
    func test_CS_C11_bypassPatternTable(row: BypassCase) throws {
        let configuration = try CSRFConfiguration(trustedOrigins: [], bypassPatterns: Self.bypassPatterns)
        let request = CSRFFixture.request(path: row.path, fetchSite: row.fetchSite, origin: "https://attacker.example")
        #expect(Outcome(CSRFProtection(configuration: configuration).check(request, sessionSecret: nil)) == row.expected)
    }

    /// The checklist's own CS-C11 row: `/bypass/` must not match
    /// `/foo/../bypass/bar` or `/bypass`, and other spellings a router might
    /// resolve to a bypass route are checked, not bypassed.
    @Test func test_CS_C11_bypassNeverMatchesNonCanonicalPaths() throws {
        let pattern = try #require(CSRFBypassPattern("/bypass/"))
        #expect(pattern.matches(method: "POST", path: "/bypass/"))
        #expect(pattern.matches(method: "POST", path: "/bypass/bar"))
        #expect(pattern.matches(method: "POST", path: "/bypass/bar?x=1"))
        for path in [
            "/foo/../bypass/bar", "/bypass", "/./bypass/x", "/bypass/./x", "/bypass/../admin", "//bypass/x", "/bypass//x",
            "/foo/%2e%2e/bypass/x", "/foo/%2E%2E/bypass/x", "/bypass%2fx", "/bypass\\x", "\\bypass\\x",
            "/Bypass/", "bypass/", "", "/byp ass/", "/bypass/\u{0}",
        ] {
            #expect(!pattern.matches(method: "POST", path: path), "\(path)")
        }
    }

    @Test func test_CS_C11_bypassPatternSyntax() {
        for valid in ["/", "/a", "/a/", "/a/{id}", "/a/{id}/b/", "POST /a/", "PATCH /a/{b_c}"] {
            #expect(CSRFBypassPattern(valid) != nil, "\(valid)")
        }
        for invalid in ["", "a/", "/a//b", "/a/../b", "/a/./b", "/{}", "/{1x}", "/{a", "/a}", "/a?b", "/a#b", " /a", "POST  /a", "PO ST/a"] {
            #expect(CSRFBypassPattern(invalid) == nil, "\(invalid)")
        }
        #expect(throws: CSRFConfigurationError.invalidBypassPattern("/a/../b")) {
            try CSRFConfiguration(trustedOrigins: [], bypassPatterns: ["/ok/", "/a/../b"])
        }
    }

    struct TrustedOriginSyntaxCase: Sendable, CustomTestStringConvertible {
        let name: String
        let origin: String
        let valid: Bool
        var testDescription: String { name }
    }

    /// `TestCrossOriginProtectionAddTrustedOriginErrors`.
    static let trustedOriginSyntaxCases: [TrustedOriginSyntaxCase] = [
        .init(name: "valid origin", origin: "https://example.com", valid: true),
        .init(name: "valid origin with port", origin: "https://example.com:8080", valid: true),
        .init(name: "http origin", origin: "http://example.com", valid: true),
        .init(name: "missing scheme", origin: "example.com", valid: false),
        .init(name: "missing host", origin: "https://", valid: false),
        .init(name: "trailing slash", origin: "https://example.com/", valid: false),
        .init(name: "with path", origin: "https://example.com/path", valid: false),
        .init(name: "with query", origin: "https://example.com?query=value", valid: false),
        .init(name: "with fragment", origin: "https://example.com#fragment", valid: false),
        .init(name: "invalid url", origin: "https://ex ample.com", valid: false),
        .init(name: "empty string", origin: "", valid: false),
        .init(name: "null", origin: "null", valid: false),
    ]

    @Test("CS-C11: trusted-origin syntax table", arguments: trustedOriginSyntaxCases)
    func test_CS_C11_trustedOriginSyntaxTable(row: TrustedOriginSyntaxCase) {
        #expect((CSRFTrustedOrigin(row.origin) != nil) == row.valid)
        let configuration = Result { () throws(CSRFConfigurationError) in try CSRFConfiguration(trustedOrigins: [row.origin]) }
        switch configuration {
        case .success: #expect(row.valid)
        case .failure(let error): #expect(!row.valid && error == .invalidTrustedOrigin(row.origin))
        }
    }

    struct ServerCase: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let origin: String?
        let fetchSite: String?
        let expected: Outcome
        var testDescription: String { name }
    }

    /// `TestCrossOriginProtectionServer`: a plain-HTTP test server on
    /// 127.0.0.1, whose own URL is sent as the `Origin` in one row.
    static let serverCases: [ServerCase] = [
        .init(name: "cross-site", path: "/", origin: "https://attacker.example", fetchSite: "cross-site", expected: .deny(.crossSiteFetch)),
        .init(name: "same-origin", path: "/", origin: nil, fetchSite: "same-origin", expected: .allow),
        .init(name: "origin matches host", path: "/", origin: "http://127.0.0.1:41234", fetchSite: nil, expected: .allow),
        .init(name: "trusted origin", path: "/", origin: "https://trusted.example", fetchSite: nil, expected: .allow),
        .init(name: "untrusted origin", path: "/", origin: "https://attacker.example", fetchSite: nil, expected: .deny(.originUntrusted)),
        .init(name: "bypass path", path: "/bypass/", origin: "https://attacker.example", fetchSite: nil, expected: .allow),
    ]

    @Test("CS-C11: server table", arguments: serverCases)
    func test_CS_C11_serverTable(row: ServerCase) throws {
        let configuration = try CSRFConfiguration(trustedOrigins: ["https://trusted.example"], bypassPatterns: ["/bypass/"])
        let server = try #require(CSRFOrigin(hostHeader: "127.0.0.1:41234", isSecure: false))
        let request = CSRFFixture.request(path: row.path, server: server, fetchSite: row.fetchSite, origin: row.origin)
        #expect(Outcome(CSRFProtection(configuration: configuration).check(request, sessionSecret: nil)) == row.expected)
    }

    /// Go's concurrent-AddTrustedOrigin test has no counterpart: a
    /// configuration is an immutable value, so checks in flight always see
    /// one consistent policy. Go's SetDenyHandler belongs to the adapter.
    @Test func test_CS_C11_configurationIsAValueSharedAcrossTasks() async throws {
        let protection = CSRFProtection(configuration: try CSRFConfiguration(trustedOrigins: ["https://concurrent.example"]))
        let request = CSRFFixture.request(fetchSite: "cross-site", origin: "https://concurrent.example")
        let outcomes = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for _ in 0..<16 { group.addTask { protection.check(request, sessionSecret: nil).isAllowed } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: true, count: 16))
        let untrusted = CSRFFixture.request(fetchSite: "cross-site", origin: "https://other.example")
        #expect(!protection.check(untrusted, sessionSecret: nil).isAllowed)
    }

    /// Values Go passes to the deny handler that are not in its table: an
    /// unknown `Sec-Fetch-Site`, or a list of them, is refused, with its own code.
    @Test func test_CS_C11_unknownFetchSiteValuesAreRefused() {
        let protection = CSRFProtection(configuration: Self.goPolicy)
        for value in ["cross-origin", "Same-Origin", "same-origin, cross-site", "?1", "\u{0}"] {
            #expect(Outcome(protection.check(CSRFFixture.request(fetchSite: value), sessionSecret: nil)) == .deny(.fetchSiteInvalid), "\(value)")
        }
        // Surrounding whitespace is not part of the value; an empty header is absent.
        #expect(Outcome(protection.check(CSRFFixture.request(fetchSite: " same-origin\t"), sessionSecret: nil)) == .allow)
        #expect(Outcome(protection.check(CSRFFixture.request(fetchSite: "  ", origin: "null"), sessionSecret: nil)) == .deny(.originNull))
    }
}
