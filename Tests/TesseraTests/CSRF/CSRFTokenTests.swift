import Foundation
import Testing
@testable import Tessera

/// The synchronizer token: per-session secret, masked tokens, the
/// fallback check for requests without `Sec-Fetch-Site` or `Origin`.
@Suite("CSRF: synchronizer tokens (CS-C1..C9, CS-S15, ASVS-3.5.1)")
struct CSRFTokenTests {
    typealias Outcome = CSRFFixture.Outcome

    static let protection = CSRFProtection()

    static func outcome(header: String? = nil, form: String? = nil, secret: CSRFSecret?, protection: CSRFProtection = protection) -> Outcome {
        Outcome(protection.check(CSRFFixture.request(header: header, form: form), sessionSecret: secret))
    }

    @Test func test_CS_C1_missingTokenDenied() {
        let secret = CSRFSecret()
        #expect(Self.outcome(secret: secret) == .deny(.tokenMissing))
        #expect(Self.outcome(header: "", form: "  ", secret: secret) == .deny(.tokenMissing))
        #expect(Self.outcome(secret: nil) == .deny(.tokenMissing))
        let rejection = Self.protection.check(CSRFFixture.request(), sessionSecret: secret).rejection
        #expect(rejection?.status == 403)
        #expect(rejection?.code == "csrf.token_missing")
    }

    @Test func test_CS_C1_wrongTokenDenied() {
        let secret = CSRFSecret()
        let other = CSRFSecret()
        #expect(Self.outcome(header: other.maskedToken(), secret: secret) == .deny(.tokenMismatch))
        #expect(Self.outcome(form: other.maskedToken(), secret: secret) == .deny(.tokenMismatch))
        #expect(Self.outcome(header: "not-a-token", secret: secret) == .deny(.tokenMismatch))
    }

    @Test func test_CS_C1_rightTokenAllowed() {
        let secret = CSRFSecret()
        #expect(Self.outcome(header: secret.maskedToken(), secret: secret) == .allow)
        #expect(Self.outcome(form: secret.maskedToken(), secret: secret) == .allow)
        let decision = Self.protection.check(CSRFFixture.request(header: secret.maskedToken()), sessionSecret: secret)
        #expect(decision == .allow(.validToken) && decision.isVerified)
        // The header, when present, is the token: a bad header is not rescued by the field.
        #expect(Self.outcome(header: "junk", form: secret.maskedToken(), secret: secret) == .deny(.tokenMismatch))
    }

    @Test func test_CS_C1_tokenHasAtLeast128BitsFromTheInjectedSource() throws {
        let random = SeededCSRFRandom(seed: 7)
        var session = CSRFFixture.freshSession()
        let token = try CSRFTokens.token(for: &session, random: random.source)
        #expect(random.drawn == 2 * CSRFSecret.byteCount)  // the secret, then one mask
        let secret = try #require(CSRFTokens.secret(in: session))
        #expect(secret.bytes.count * 8 >= 128)
        #expect(secret.bytes.count == 32)
        #expect(Set(secret.bytes).count > 8)  // not a constant fill
        #expect(token.utf8.count == CSRFToken.encodedLength)
        #expect(Base64.decode(token)?.count == CSRFToken.byteCount)
        // The same seed gives the same secret: the source really is the one injected.
        var again = CSRFFixture.freshSession()
        _ = try CSRFTokens.token(for: &again, random: SeededCSRFRandom(seed: 7).source)
        #expect(try #require(CSRFTokens.secret(in: again)).bytes == secret.bytes)
    }

    /// CS-C2: the request has no query input, so a token in the URL is never read.
    @Test func test_CS_C2_queryStringTokenNeverConsulted() throws {
        var session = CSRFFixture.freshSession()
        let token = try CSRFTokens.token(for: &session)
        let secret = CSRFTokens.secret(in: session)
        let post = CSRFFixture.request(path: "/transfer?csrf_token=\(token)")
        #expect(Outcome(Self.protection.check(post, sessionSecret: secret)) == .deny(.tokenMissing))
        // A GET carrying it passes only as a safe method, never as verified.
        let get = CSRFFixture.request("GET", path: "/transfer?csrf_token=\(token)", header: token)
        let decision = Self.protection.check(get, sessionSecret: secret)
        #expect(decision == .allow(.safeMethod))
        #expect(!decision.isVerified)
        // No CSRF cookie: the secret lives in the session values.
        #expect(session.keys == [CSRFTokens.sessionKey.name])
    }

    @Test func test_CS_C3_tokenOfSessionAFailsForSessionB() throws {
        var sessionA = CSRFFixture.freshSession(), sessionB = CSRFFixture.freshSession()
        let tokenA = try CSRFTokens.token(for: &sessionA)
        _ = try CSRFTokens.token(for: &sessionB)
        let secretB = CSRFTokens.secret(in: sessionB)
        #expect(Self.outcome(header: tokenA, secret: secretB) == .deny(.tokenMismatch))
        #expect(Self.outcome(header: tokenA, secret: CSRFTokens.secret(in: sessionA)) == .allow)
    }

    @Test func test_CS_C3_substitutedMaskRejected() throws {
        let secret = CSRFSecret()
        let bytes = try #require(Base64.decode(secret.maskedToken()))
        // Keep the masked half, substitute the random half.
        var forged = CSRFSecret().bytes + bytes[32...]
        #expect(Self.outcome(header: Base64.urlSafeEncode(forged), secret: secret) == .deny(.tokenMismatch))
        // Keep the random half, substitute the masked half.
        forged = Array(bytes[..<32]) + CSRFSecret().bytes
        #expect(Self.outcome(header: Base64.urlSafeEncode(forged), secret: secret) == .deny(.tokenMismatch))
        // Halves from two different valid tokens don't combine.
        let other = try #require(Base64.decode(secret.maskedToken()))
        forged = Array(bytes[..<32]) + other[32...]
        #expect(Self.outcome(header: Base64.urlSafeEncode(forged), secret: secret) == .deny(.tokenMismatch))
    }

    @Test func test_CS_C3_attackerBuiltTokenRejected() {
        let secret = CSRFSecret()
        let attacker = CSRFSecret()  // the attacker's own session
        let zeroMask = [UInt8](repeating: 0, count: 32)
        let forgeries = [
            attacker.maskedToken(),
            CSRFToken.mask(attacker.bytes, with: zeroMask),                     // an unmasked secret of the attacker's
            CSRFToken.mask([UInt8](repeating: 0, count: 32), with: zeroMask),   // all zeros
            Base64.urlSafeEncode(CSRFSecret().bytes + CSRFSecret().bytes),      // random bytes
        ]
        for forged in forgeries {
            #expect(Self.outcome(header: forged, secret: secret) == .deny(.tokenMismatch))
        }
    }

    /// A tamper catalogue (F-01 style) applied to one valid token.
    @Test func test_CS_C3_tamperedTokensRejected() throws {
        let secret = CSRFSecret(random: SeededCSRFRandom(seed: 3).source)
        let token = secret.maskedToken(random: SeededCSRFRandom(seed: 4).source)
        #expect(secret.matches(token))
        let bytes = try #require(Base64.decode(token))
        var tampered: [String] = [
            token.uppercased(), token.lowercased(), token + "A", String(token.dropLast()), String(token.dropFirst()),
            token + "=", token + "==", " " + token, token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"),
            String(repeating: "A", count: 86), String(token.reversed()), token + token,
        ].filter { $0 != token }
        for index in bytes.indices {
            var flipped = bytes
            flipped[index] ^= 0x01
            tampered.append(Base64.urlSafeEncode(flipped))
        }
        for forged in tampered {
            #expect(!secret.matches(forged), "\(forged)")
        }
    }

    /// CS-C4: no naive double submit. Equal values in two places (a cookie
    /// an attacker tossed and a field) prove nothing without the session's
    /// secret; the raw secret is not a token either.
    @Test func test_CS_C4_naiveDoubleSubmitNotAccepted() throws {
        let planted = CSRFSecret().maskedToken()
        #expect(Self.outcome(header: planted, form: planted, secret: nil) == .deny(.sessionMissing))
        #expect(Self.outcome(header: planted, form: planted, secret: CSRFSecret()) == .deny(.tokenMismatch))
        var session = CSRFFixture.freshSession()
        _ = try CSRFTokens.token(for: &session)
        let stored = try #require(try session.get(CSRFTokens.sessionKey))
        #expect(Self.outcome(header: stored, form: stored, secret: CSRFTokens.secret(in: session)) == .deny(.tokenMismatch))
    }

    /// CS-C6: header mode, for APIs whose clients are scripts.
    @Test func test_CS_C6_headerModeRequiresTheHeader() {
        let headerOnly = CSRFProtection(configuration: CSRFConfiguration(headerName: "X-Requested-Token", formFieldName: nil))
        let secret = CSRFSecret()
        #expect(Self.outcome(secret: secret, protection: headerOnly) == .deny(.tokenMissing))
        #expect(Self.outcome(form: secret.maskedToken(), secret: secret, protection: headerOnly) == .deny(.tokenMissing))
        #expect(Self.outcome(header: secret.maskedToken(), secret: secret, protection: headerOnly) == .allow)
        // The adapter reads the configured header name.
        let request = CSRFRequest(
            method: "POST", path: "/api", serverOrigin: CSRFFixture.site, credential: .cookie,
            tokenHeaderName: headerOnly.configuration.headerName
        ) { ["X-Requested-Token": secret.maskedToken()][$0] }
        #expect(headerOnly.check(request, sessionSecret: secret) == .allow(.validToken))
        let message = headerOnly.check(CSRFFixture.request(), sessionSecret: secret).rejection?.message ?? ""
        #expect(message.contains("X-Requested-Token") && !message.contains("form field"))
    }

    /// CS-S15: the token is bound to its session through the store, end to end.
    @Test func test_CS_S15_tokenBoundToItsSession() async throws {
        for kind in [StoreKind.memory, .sealedCookie] {
            try await withStore(kind) { subject in
                let manager = subject.manager(clock: ManualWallClock())
                let alice = Browser(), mallory = Browser()
                let aliceToken = try await alice.request(manager) { try CSRFTokens.token(for: &$0) }.result
                let malloryToken = try await mallory.request(manager) { try CSRFTokens.token(for: &$0) }.result
                let aliceSession = try await alice.request(manager).session
                let mallorySession = try await mallory.request(manager).session
                let protection = CSRFProtection()
                #expect(protection.check(CSRFFixture.request(header: aliceToken), session: aliceSession).isAllowed)
                #expect(Outcome(protection.check(CSRFFixture.request(header: malloryToken), session: aliceSession)) == .deny(.tokenMismatch))
                #expect(Outcome(protection.check(CSRFFixture.request(header: aliceToken), session: mallorySession)) == .deny(.tokenMismatch))
                // A session that never rendered a token can't be posted to.
                let fresh = try await Browser().request(manager).session
                #expect(Outcome(protection.check(CSRFFixture.request(header: aliceToken), session: fresh)) == .deny(.sessionMissing))
            }
        }
    }

    /// CS-C9: the login form is protected by a pre-session token, and the
    /// secret is switched on login (Django's F-04 "CSRF token switched on login").
    @Test func test_CS_C9_loginRotatesTheToken() async throws {
        try await withStore(.memory) { subject in
            let manager = subject.manager(clock: ManualWallClock())
            let protection = CSRFProtection()
            let browser = Browser()
            // GET /login renders the form from a pre-session.
            let formToken = try await browser.request(manager) { try CSRFTokens.token(for: &$0) }.result
            let preSessionCookie = try #require(browser.sessionCookie)
            // POST /login without a token (an old browser, no Origin): 403.
            let (_, refused) = try await browser.request(manager) { protection.check(CSRFFixture.request(credential: .none), session: $0) }
            #expect(refused.rejection?.reason == .tokenMissing)
            // A forged cross-site login post is refused whatever it carries.
            let (_, forged) = try await browser.request(manager) {
                protection.check(CSRFFixture.request(credential: .none, fetchSite: "cross-site", form: formToken), session: $0)
            }
            #expect(forged.rejection?.reason == .crossSiteFetch)
            // With the token: signed in; logIn rotated the secret by itself.
            try await browser.request(manager) { session in
                #expect(protection.check(CSRFFixture.request(credential: .none, form: formToken), session: session).isAllowed)
                try await manager.logIn(&session, userID: "alice", method: "password")
            }
            #expect(browser.sessionCookie != preSessionCookie)
            let (session, _) = try await browser.request(manager)
            #expect(session.userID == "alice")
            #expect(Outcome(protection.check(CSRFFixture.request(form: formToken), session: session)) == .deny(.tokenMismatch))
            let newToken = try await browser.request(manager) { try CSRFTokens.token(for: &$0) }.result
            let signedIn = try await browser.request(manager).session
            #expect(protection.check(CSRFFixture.request(form: newToken), session: signedIn).isAllowed)
        }
    }

    @Test func test_CS_C9_rotateInvalidatesEarlierTokens() throws {
        var session = CSRFFixture.freshSession()
        let before = try CSRFTokens.token(for: &session)
        let secretBefore = try #require(CSRFTokens.secret(in: session))
        try CSRFTokens.rotate(in: &session)
        let secretAfter = try #require(CSRFTokens.secret(in: session))
        #expect(secretBefore.bytes != secretAfter.bytes)
        #expect(!secretAfter.matches(before))
        #expect(secretAfter.matches(try CSRFTokens.token(for: &session)))
    }

    /// BREACH: every rendered token differs, every one verifies.
    @Test func maskedTokensDifferAndAllVerify() throws {
        var session = CSRFFixture.freshSession()
        let tokens = try (0..<200).map { _ in try CSRFTokens.token(for: &session) }
        #expect(Set(tokens).count == tokens.count)
        let secret = try #require(CSRFTokens.secret(in: session))
        #expect(tokens.allSatisfy(secret.matches))
        // The secret's own encoding never appears in a token.
        let stored = try #require(try session.get(CSRFTokens.sessionKey))
        #expect(tokens.allSatisfy { !$0.contains(stored) })
    }

    @Test func unreadableStoredSecretIsReplaced() throws {
        var session = CSRFFixture.freshSession()
        try session.set(CSRFTokens.sessionKey, "too-short")
        #expect(CSRFTokens.secret(in: session) == nil)
        let token = try CSRFTokens.token(for: &session)
        #expect(try #require(CSRFTokens.secret(in: session)).matches(token))
        // A value of another type under the key reads as no secret, not a crash.
        var wrongType = CSRFFixture.freshSession()
        try wrongType.set(SessionKey<[Int]>(CSRFTokens.sessionKey.name), [1, 2, 3])
        #expect(CSRFTokens.secret(in: wrongType) == nil)
    }

    @Test func test_ASVS_3_5_1_formPostNeedsTheSessionsToken() async throws {
        try await withStore(.memory) { subject in
            let manager = subject.manager(clock: ManualWallClock())
            let protection = CSRFProtection()
            let browser = Browser(), other = Browser()
            let token = try await browser.request(manager) { try CSRFTokens.token(for: &$0) }.result
            let otherToken = try await other.request(manager) { try CSRFTokens.token(for: &$0) }.result
            let session = try await browser.request(manager).session
            #expect(protection.check(CSRFFixture.request(), session: session).rejection?.status == 403)
            #expect(protection.check(CSRFFixture.request(form: otherToken), session: session).rejection?.status == 403)
            #expect(protection.check(CSRFFixture.request(form: token), session: session) == .allow(.validToken))
        }
    }
}
