import Foundation
import Testing
@testable import Tessera

/// Which requests are checked at all, what a refusal tells the developer,
/// and robustness against arbitrary input.
@Suite("CSRF: policy, messages and robustness (ASVS-3.5.3, CS-C10, CS-C12)")
struct CSRFPolicyTests {
    typealias Outcome = CSRFFixture.Outcome

    @Test func test_ASVS_3_5_3_safeMethodsPassUnsafeCrossSiteRefused() {
        let protection = CSRFProtection()
        for method in ["GET", "HEAD", "OPTIONS", "TRACE"] {
            let decision = protection.check(CSRFFixture.request(method, fetchSite: "cross-site", origin: "https://evil.org"), sessionSecret: nil)
            #expect(decision == .allow(.safeMethod), "\(method)")
            #expect(!decision.isVerified, "\(method) is let through, never verified")
        }
        for method in ["POST", "PUT", "PATCH", "DELETE", "PROPFIND", "get", "Post", ""] {
            let request = CSRFFixture.request(method, fetchSite: "cross-site")
            #expect(Outcome(protection.check(request, sessionSecret: nil)) == .deny(.crossSiteFetch), "\(method)")
            #expect(protection.check(request, sessionSecret: nil).rejection?.status == 403)
        }
        #expect(protection.check(CSRFFixture.request(fetchSite: "same-origin"), sessionSecret: nil) == .allow(.sameOriginFetch))
        #expect(protection.check(CSRFFixture.request(fetchSite: "none"), sessionSecret: nil) == .allow(.userInitiatedFetch))
    }

    /// CS-C10 applies to the router; the core's part is that a safe-method
    /// pass is not a verification, so a state-changing route can insist on one.
    @Test func test_CS_C10_safeMethodPassIsNotAVerification() {
        let protection = CSRFProtection()
        let secret = CSRFSecret()
        let get = protection.check(CSRFFixture.request("GET", fetchSite: "same-origin", header: secret.maskedToken()), sessionSecret: secret)
        #expect(get.isAllowed && !get.isVerified)
        let post = protection.check(CSRFFixture.request(fetchSite: "same-origin"), sessionSecret: secret)
        #expect(post.isAllowed && post.isVerified)
        let exempt = protection.check(CSRFFixture.request(credential: .apiKey), sessionSecret: nil)
        #expect(exempt.isAllowed && !exempt.isVerified)
    }

    @Test func bearerAndAPIKeyRequestsAreExempt() throws {
        let protection = CSRFProtection()
        for credential in [CSRFCredentialSource.bearerToken, .apiKey] {
            for (fetchSite, origin) in [("cross-site", "https://evil.org"), (nil, "null"), (nil, nil)] as [(String?, String?)] {
                let request = CSRFFixture.request(credential: credential, fetchSite: fetchSite, origin: origin)
                #expect(protection.check(request, sessionSecret: nil) == .allow(.exemptCredential))
            }
        }
        // Cookie-authenticated and anonymous requests are checked.
        for credential in [CSRFCredentialSource.cookie, .none] {
            #expect(!protection.check(CSRFFixture.request(credential: credential, fetchSite: "cross-site"), sessionSecret: nil).isAllowed)
            #expect(!protection.check(CSRFFixture.request(credential: credential), sessionSecret: nil).isAllowed)
        }
    }

    /// CS-C12: nothing in the check involves SameSite. A session cookie with
    /// `SameSite=None` (which browsers send cross-site) is still protected.
    @Test func test_CS_C12_protectionHoldsWithoutSameSite() async throws {
        let policy = SessionConfiguration(cookie: SessionConfiguration.Cookie(sameSite: .none))
        try await withStore(.memory) { subject in
            let manager = subject.manager(policy, clock: ManualWallClock())
            let browser = Browser()
            let token = try await browser.request(manager) { try CSRFTokens.token(for: &$0) }.result
            #expect(browser.lastSetCookies.first?.sameSite == SameSite.none)
            let session = try await browser.request(manager).session
            let protection = CSRFProtection()
            let forged = CSRFFixture.request(fetchSite: "cross-site", origin: "https://evil.org", form: token)
            #expect(Outcome(protection.check(forged, session: session)) == .deny(.crossSiteFetch))
            let oldBrowserForged = CSRFFixture.request(origin: "https://evil.org", form: token)
            #expect(Outcome(protection.check(oldBrowserForged, session: session)) == .deny(.originUntrusted))
            #expect(Outcome(protection.check(CSRFFixture.request(), session: session)) == .deny(.tokenMissing))
            #expect(protection.check(CSRFFixture.request(fetchSite: "same-origin"), session: session).isAllowed)
            #expect(protection.check(CSRFFixture.request(form: token), session: session).isAllowed)
        }
    }

    @Test func everyRejectionHasAStableCodeAndAnActionableMessage() {
        let expectedCodes: [CSRFRejection.Reason: String] = [
            .crossSiteFetch: "csrf.cross_site_fetch", .fetchSiteInvalid: "csrf.fetch_site_invalid", .originNull: "csrf.origin_null",
            .originInvalid: "csrf.origin_invalid", .originUntrusted: "csrf.origin_untrusted", .refererUntrusted: "csrf.referer_untrusted",
            .tokenMissing: "csrf.token_missing", .tokenMismatch: "csrf.token_mismatch", .sessionMissing: "csrf.session_missing",
        ]
        #expect(expectedCodes.count == CSRFRejection.Reason.allCases.count)
        let configuration = CSRFConfiguration()
        for reason in CSRFRejection.Reason.allCases {
            let rejection = CSRFRejection(reason, configuration: configuration)
            #expect(rejection.code == expectedCodes[reason])
            #expect(rejection.status == 403)
            #expect(rejection.message.contains(":"), "says what is wrong, then what to do")
            #expect(rejection.description == "\(rejection.code): \(rejection.message)")
        }
        let missing = CSRFRejection(.tokenMissing, configuration: configuration).message
        #expect(missing.contains("X-CSRF-Token") && missing.contains("csrf_token"))
        // Configured names are printed safely.
        let hostile = CSRFConfiguration(headerName: "X-Token\r\nSet-Cookie: a=b")
        #expect(!CSRFRejection(.tokenMissing, configuration: hostile).message.contains("\r\n"))
    }

    /// CS-C2 "token never in logs": no message, description or dump contains a token or the secret.
    @Test func test_CS_C2_tokenNeverInMessagesDescriptionsOrDumps() throws {
        var session = CSRFFixture.freshSession()
        let token = try CSRFTokens.token(for: &session)
        let secret = try #require(CSRFTokens.secret(in: session))
        let stored = try #require(try session.get(CSRFTokens.sessionKey))
        let wrong = CSRFSecret().maskedToken()
        let protection = CSRFProtection()
        let requests = [
            CSRFFixture.request(header: wrong, form: token), CSRFFixture.request(form: wrong),
            CSRFFixture.request(origin: "null", header: token), CSRFFixture.request(fetchSite: "cross-site", header: token),
            CSRFFixture.request(referer: "https://evil.org/?t=\(token)", header: token),
        ]
        var texts = [secret.description, String(reflecting: secret), "\(secret)"]
        var dumped = ""
        dump(secret, to: &dumped)
        for request in requests {
            let decision = protection.check(request, sessionSecret: secret)
            #expect(!decision.isAllowed)
            let rejection = try #require(decision.rejection)
            texts += [rejection.message, rejection.description, String(reflecting: rejection), "\(decision)"]
            texts += [request.description, String(reflecting: request), "\(request)"]
            dump(request, to: &dumped)
        }
        texts.append(dumped)
        for text in texts {
            for needle in [token, wrong, stored, Hex.encode(secret.bytes)] {
                #expect(!text.contains(needle), "\(text)")
            }
        }
    }

    /// Random bytes in every header and the path: never a crash, never a pass.
    @Test func arbitraryInputNeverCrashesOrPasses() throws {
        var generator = TestRandom(seed: 0xC5_12F)
        let secret = CSRFSecret()
        let protections = [
            CSRFProtection(),
            CSRFProtection(configuration: try CSRFConfiguration(
                trustedOrigins: ["https://*.example.net"], bypassPatterns: ["/hooks/", "/only/{id}"], requireTokenWhenOriginAbsent: false
            )),
        ]
        func randomText() -> String {
            let length = Int.random(in: 0...120, using: &generator)
            let alphabet = Array("https://example.com:443/..%2e-_[]@?#null:0123456789abcdef\u{0}\t \r\n\u{7F}é".unicodeScalars)
            if Bool.random(using: &generator) {
                return String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
            }
            return String(decoding: (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }, as: UTF8.self)
        }
        for _ in 0..<3000 {
            let request = CSRFRequest(
                method: "POST", path: randomText(), serverOrigin: CSRFOrigin(randomText()), credential: .cookie,
                secFetchSite: randomText(), origin: randomText(), referer: randomText(), headerToken: randomText(), formToken: randomText()
            )
            for protection in protections {
                let decision = protection.check(request, sessionSecret: secret)
                switch decision {
                case .deny:
                    break
                case .allow(.bypassPath):
                    // A random path that happens to be canonical and under a bypass.
                    #expect(protection.configuration.bypassPatterns.contains { $0.matches(method: "POST", path: request.path) })
                case .allow(.originAbsent):
                    // Go's policy, when every random header came out blank.
                    #expect(!protection.configuration.requireTokenWhenOriginAbsent)
                    #expect([request.secFetchSite, request.origin, request.referer].allSatisfy { CSRFProtection.present($0) == nil })
                case .allow(let why):
                    Issue.record("random input passed as \(why): \(request)")
                }
            }
            _ = CSRFTrustedOrigin(randomText())
            _ = CSRFBypassPattern(randomText())
            #expect(!secret.matches(randomText()))
        }
        // Oversized values are refused quickly and without a trap.
        let huge = String(repeating: "A", count: 10_240)
        #expect(!secret.matches(huge))
        #expect(CSRFOrigin("https://" + huge) == nil)
        let hugeRequest = CSRFFixture.request(path: "/" + huge, origin: huge, referer: huge, header: huge, form: huge)
        #expect(Outcome(CSRFProtection().check(hugeRequest, sessionSecret: secret)) == .deny(.originInvalid))
        let hugeToken = CSRFFixture.request(header: huge)
        #expect(Outcome(CSRFProtection().check(hugeToken, sessionSecret: secret)) == .deny(.tokenMismatch))
    }

    @Test func requestFromHeaderAccessor() {
        let headers = [
            "Sec-Fetch-Site": "same-origin", "Origin": "https://example.com", "Referer": "https://example.com/a", "X-CSRF-Token": "t",
        ]
        let request = CSRFRequest(method: "POST", path: "/a", serverOrigin: CSRFFixture.site, credential: .cookie, formToken: "f") { headers[$0] }
        #expect(request.secFetchSite == "same-origin" && request.origin == "https://example.com")
        #expect(request.referer == "https://example.com/a" && request.headerToken == "t" && request.formToken == "f")
    }
}
