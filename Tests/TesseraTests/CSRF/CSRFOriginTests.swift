import Testing
@testable import Tessera

/// CS-C7 and Django's origin and referer cases (F-03): the full origin is
/// compared, look-alikes and `null` fail, and each refusal says why.
@Suite("CSRF: Origin and Referer (CS-C7, F-03)")
struct CSRFOriginTests {
    typealias Outcome = CSRFFixture.Outcome

    static func outcome(
        origin: String? = nil, referer: String? = nil, header: String? = nil, secret: CSRFSecret? = nil,
        server: CSRFOrigin? = CSRFFixture.site, configuration: CSRFConfiguration = CSRFConfiguration()
    ) -> Outcome {
        let request = CSRFFixture.request(server: server, origin: origin, referer: referer, header: header)
        return Outcome(CSRFProtection(configuration: configuration).check(request, sessionSecret: secret))
    }

    @Test func test_CS_C7_lookalikeOriginRejected() {
        for lookalike in [
            "https://example.com.attacker.com", "https://attacker-example.com", "https://example.co",
            "https://wwwexample.com", "https://example.com.", "https://sub.example.com",
        ] {
            let expected: Outcome = lookalike == "https://example.com." ? .deny(.originInvalid) : .deny(.originUntrusted)
            #expect(Self.outcome(origin: lookalike) == expected, "\(lookalike)")
        }
        #expect(Self.outcome(origin: "https://example.com") == .allow)
    }

    @Test func test_CS_C7_nullOriginRejected() {
        #expect(Self.outcome(origin: "null") == .deny(.originNull))
        // Not even with a valid token: a failed Origin is decisive.
        let secret = CSRFSecret()
        #expect(Self.outcome(origin: "null", header: secret.maskedToken(), secret: secret) == .deny(.originNull))
    }

    @Test func test_CS_C7_schemeMismatchRejected() {
        #expect(Self.outcome(origin: "http://example.com") == .deny(.originUntrusted))
        let plainSite = CSRFOrigin("http://example.com")
        #expect(Self.outcome(origin: "https://example.com", server: plainSite) == .deny(.originUntrusted))
        #expect(Self.outcome(origin: "http://example.com", server: plainSite) == .allow)
    }

    @Test func test_CS_C7_portMismatchRejected() {
        #expect(Self.outcome(origin: "https://example.com:8443") == .deny(.originUntrusted))
        #expect(Self.outcome(origin: "https://example.com:80") == .deny(.originUntrusted))
        // The default port, spelled out, is the same origin; case is not significant.
        #expect(Self.outcome(origin: "https://example.com:443") == .allow)
        #expect(Self.outcome(origin: "HTTPS://Example.COM") == .allow)
        let onPort = CSRFOrigin(hostHeader: "example.com:8443", isSecure: true)
        #expect(Self.outcome(origin: "https://example.com:8443", server: onPort) == .allow)
        #expect(Self.outcome(origin: "https://example.com", server: onPort) == .deny(.originUntrusted))
    }

    @Test func test_CS_C7_trustedOriginPasses() throws {
        let configuration = try CSRFConfiguration(trustedOrigins: ["https://admin.example.net", "http://localhost:3000"])
        #expect(Self.outcome(origin: "https://admin.example.net", configuration: configuration) == .allow)
        #expect(Self.outcome(origin: "http://localhost:3000", configuration: configuration) == .allow)
        #expect(Self.outcome(origin: "http://localhost:3001", configuration: configuration) == .deny(.originUntrusted))
        #expect(Self.outcome(origin: "https://localhost:3000", configuration: configuration) == .deny(.originUntrusted))
        #expect(Self.outcome(origin: "https://admin.example.net.attacker.com", configuration: configuration) == .deny(.originUntrusted))
        #expect(Self.outcome(origin: "https://x.admin.example.net", configuration: configuration) == .deny(.originUntrusted))
    }

    @Test func test_CS_C7_wildcardTrustedOrigin() throws {
        let configuration = try CSRFConfiguration(trustedOrigins: ["https://*.example.net"])
        for allowed in ["https://a.example.net", "https://a.b.example.net", "https://A.Example.NET:443"] {
            #expect(Self.outcome(origin: allowed, configuration: configuration) == .allow, "\(allowed)")
        }
        for refused in [
            "https://example.net", "https://evilexample.net", "https://example.net.attacker.com", "https://a.example.net.attacker.com",
            "http://a.example.net", "https://a.example.net:8443", "https://a-example.net", "https://.example.net",
        ] {
            #expect(Self.outcome(origin: refused, configuration: configuration) != .allow, "\(refused)")
        }
        #expect(try #require(CSRFTrustedOrigin("https://*.example.net:8443")).description == "https://*.example.net:8443")
        // A wildcard over a public suffix or an address trusts strangers: refused.
        for text in ["https://*.com", "https://*.co.uk", "https://*.1.2.3.4", "https://*.[::1]", "https://*.", "https://*example.net"] {
            #expect(CSRFTrustedOrigin(text) == nil, "\(text)")
        }
    }

    /// CS-C7: "Block when both headers are missing."
    @Test func test_CS_C7_bothHeadersMissingBlocked() {
        #expect(Self.outcome() == .deny(.tokenMissing))
        #expect(Self.outcome(origin: "", referer: "") == .deny(.tokenMissing))
    }

    /// Django's `test_bad_origin_*` family (F-03): each refusal carries its reason.
    @Test func test_F_03_djangoOriginCases() {
        let cases: [(name: String, origin: String, expected: Outcome)] = [
            ("bad domain", "https://www.evil.org", .deny(.originUntrusted)),
            ("null", "null", .deny(.originNull)),
            ("bad protocol", "http://example.com", .deny(.originUntrusted)),
            ("csrf_trusted_origin bad protocol", "http://admin.example.net", .deny(.originUntrusted)),
            ("unparsable", "https://[", .deny(.originInvalid)),
            ("unparsable port", "https://example.com:99999", .deny(.originInvalid)),
            ("unparsable host", "https://exa mple.com", .deny(.originInvalid)),
            ("userinfo", "https://user@example.com", .deny(.originInvalid)),
            ("path", "https://example.com/", .deny(.originInvalid)),
            ("two origins", "https://example.com https://evil.org", .deny(.originInvalid)),
            ("no scheme", "example.com", .deny(.originInvalid)),
            ("other scheme", "ftp://example.com", .deny(.originInvalid)),
            ("good origin", "https://example.com", .allow),
            ("good trusted origin", "https://admin.example.net", .allow),
        ]
        let configuration = CSRFConfiguration(trustedOrigins: [CSRFTrustedOrigin(CSRFOrigin("https://admin.example.net")!)])
        for (name, origin, expected) in cases {
            #expect(Self.outcome(origin: origin, configuration: configuration) == expected, "\(name)")
        }
    }

    /// Django's referer checks (F-03): with no `Origin`, a `Referer` from
    /// elsewhere refuses the request; a matching one still needs the token.
    @Test func test_F_03_djangoRefererCases() {
        let secret = CSRFSecret()
        let token = secret.maskedToken()
        for (name, referer) in [
            ("malformed", "http://http://www.example.com/"), ("malformed no scheme", "//example.com/"),
            ("insecure", "http://example.com/"), ("cross host", "https://www.evil.org/somepage"),
            ("look-alike", "https://example.com.attacker.com/"), ("relative", "/somepage"), ("garbage", "\u{1}\u{2}"),
        ] {
            #expect(Self.outcome(referer: referer, header: token, secret: secret) == .deny(.refererUntrusted), "\(name)")
        }
        #expect(Self.outcome(referer: "https://example.com/form?x=1", header: token, secret: secret) == .allow)
        #expect(Self.outcome(referer: "https://example.com", header: token, secret: secret) == .allow)
        #expect(Self.outcome(referer: "https://example.com/form") == .deny(.tokenMissing))
        // Off: the Referer is not read at all.
        let ignoring = CSRFConfiguration(checksReferer: false)
        #expect(Self.outcome(referer: "https://www.evil.org/", header: token, secret: secret, configuration: ignoring) == .allow)
    }

    @Test func originParsing() throws {
        let origin = try #require(CSRFOrigin("https://Example.COM:8443"))
        #expect(origin.scheme == "https" && origin.host == "example.com" && origin.port == 8443)
        #expect(origin.description == "https://example.com:8443")
        #expect(CSRFOrigin("http://[::1]:8080")?.host == "[::1]")
        #expect(CSRFOrigin("http://127.0.0.1")?.port == 80)
        #expect(CSRFOrigin(scheme: "HTTPS", host: "Example.com")?.description == "https://example.com")
        #expect(CSRFOrigin(scheme: "https", host: "example.com", port: 0) == nil)
        #expect(CSRFOrigin(hostHeader: "example.com:", isSecure: true) == nil)
        #expect(CSRFOrigin(hostHeader: "", isSecure: true) == nil)
        for invalid in [
            "https://", "https://:443", "https://example.com:", "https://example.com:0", "https://example.com:65536",
            "https://example.com:+1", "https://exa%6dple.com", "https://exämple.com", "https://example..com", "https://.example.com",
            "https://[::1", "https://[zz::1]", "https://[]", "https://a:b:c", "https ://example.com", " https://example.com",
            "https://example.com\u{0}", "javascript://example.com", "https://" + String(repeating: "a", count: 64) + ".com",
            "https://" + String(repeating: "a.", count: 600) + "com",
        ] {
            #expect(CSRFOrigin(invalid) == nil, "\(invalid)")
        }
    }
}
