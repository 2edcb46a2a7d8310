import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraHummingbird
@testable import TesseraSQLite

/// `TesseraSessionMiddleware` over real HTTP: fixation, the cookie re-issue
/// rule, caching headers, logout replay and a store that is down.
@Suite struct HummingbirdSessionTests {
    let fixture = HummingbirdFixture()

    @Test func test_ASVS_7_2_4_preLoginCookieIsDeadAfterLogin() async throws {
        try await fixture.app().test(.live) { client in
            let anonymous = try await client.execute(uri: "/token", method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.cookie("sid"))
            }
            let token = try await client.execute(uri: "/token", method: .get, headers: .with([("Cookie", anonymous)])) { $0.text }
            let signedIn = try await client.execute(
                uri: "/login", method: .post, headers: .with([("Cookie", anonymous), ("X-CSRF-Token", token)])
            ) { response in
                #expect(response.status == .ok)
                return try #require(response.cookie("sid"))
            }
            #expect(signedIn != anonymous)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", signedIn)])) { response in
                #expect(response.status == .ok)
                try #expect(response.identity() == IdentityEcho(AuthenticatedIdentity(userID: "user-1", method: .session)))
            }
            // The attacker who planted `anonymous` holds nothing.
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", anonymous)])) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func test_ASVS_7_2_4_stepUpRotatesTheIDAgain() async throws {
        try await fixture.app().test(.live) { client in
            let (first, token) = try await signIn(client)
            let second = try await client.execute(
                uri: "/step-up", method: .post, headers: .with([("Cookie", first), ("X-CSRF-Token", token)])
            ) { response in
                #expect(response.status == .noContent)
                return try #require(response.cookie("sid"))
            }
            #expect(second != first)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", first)])) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", second)])) { #expect($0.status == .ok) }
        }
    }

    @Test func cookiesAreSetOnlyWhenTheSessionIsNewRotatedEndedOrMoved() async throws {
        try await fixture.app().test(.live) { client in
            // An anonymous visitor who stores nothing gets no cookie and no store write.
            try await client.execute(uri: "/public", method: .get) { response in
                #expect(response.setCookies.isEmpty)
                #expect(response.headers[.vary] == nil)
            }
            let (cookie, _) = try await signIn(client)
            // A live session read within the activity interval: no Set-Cookie.
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.status == .ok)
                #expect(response.setCookies.isEmpty)
            }
            // Past the activity interval the idle deadline moves in the store; a
            // browser-session cookie has no expiry to move, so none is sent.
            fixture.clock.advance(by: SessionConfiguration.defaultActivityWriteInterval + 1)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.status == .ok)
                #expect(response.setCookies.isEmpty)
            }
        }
        // A persistent cookie carries its expiry, so it is re-sent when that moves.
        let persistent = SessionManager(store: fixture.sessionStore, configuration: SessionConfiguration(
            cookie: .init(name: "sid", persistent: true, secure: false)), clock: fixture.clock)
        try await fixture.app(sessions: persistent).test(.live) { client in
            let (cookie, _) = try await signIn(client)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.setCookies.isEmpty) }
            fixture.clock.advance(by: SessionConfiguration.defaultActivityWriteInterval + 1)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.status == .ok)
                #expect(response.cookie("sid") == cookie, "the same ID, with its expiry moved")
                #expect(response.setCookies.first?.contains("Max-Age=") == true)
            }
        }
    }

    @Test func test_CS_S13_responsesThatSetACookieAreNeverStoredBySharedCaches() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/token", method: .get) { response in
                #expect(!response.setCookies.isEmpty)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[values: .vary].contains("Cookie"))
            }
            let (cookie, _) = try await signIn(client)
            // Authenticated answers are not cached either, even without a cookie.
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.setCookies.isEmpty)
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test func test_ASVS_7_4_1_logoutClearsTheCookieAndReplayGets401() async throws {
        try await fixture.app().test(.live) { client in
            let (cookie, token) = try await signIn(client)
            try await client.execute(uri: "/logout", method: .post, headers: .with([("Cookie", cookie), ("X-CSRF-Token", token)])) { response in
                #expect(response.status == .noContent)
                let clearing = try #require(response.setCookies.first { $0.hasPrefix("sid=;") })
                #expect(clearing.contains("Max-Age=0"))
                #expect(clearing.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
            }
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .unauthorized) }
            #expect(fixture.logs.lines.contains { $0.metadata["event"] == "logout" && $0.metadata["user"] == "user-1" })
        }
    }

    @Test func test_CS_S16_forgedSessionCookiesAreAuditedWithoutTheirValue() async throws {
        try await fixture.app().test(.live) { client in
            let forged = "sid=" + String(repeating: "A", count: 43)
            try await client.execute(uri: "/public", method: .get, headers: .with([("Cookie", forged)])) { response in
                #expect(response.status == .ok)
                #expect(response.setCookies.contains { $0.hasPrefix("sid=;") }, "the dead cookie is cleared")
            }
            let line = try #require(fixture.logs.lines.first { $0.metadata["event"] == "session.cookie_refused" })
            #expect(!line.rendered.contains(String(repeating: "A", count: 20)))
        }
    }

    @Test func aStoreThatIsDownAnswers503NeverAPass() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-hb-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let storage = try await SQLiteStorage.open(path: path)
        let sessions = SessionManager(store: storage.sessions, configuration: SessionConfiguration(cookie: .init(name: "sid", secure: false)))
        try await fixture.app(sessions: sessions).test(.live) { client in
            let (cookie, _) = try await signIn(client)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .ok) }
            await storage.close()
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.problemCode == "store_unavailable")
                #expect(response.headers[.retryAfter] != nil)
            }
            // A route that only reads the session fails closed too.
            try await client.execute(uri: "/token", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .serviceUnavailable) }
            // A public route stays up.
            try await client.execute(uri: "/public", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .ok) }
        }
    }

    @Test func sealedSessionsAuthenticateWithNoStore() async throws {
        try await fixture.app(sessions: fixture.sealedSessions).test(.live) { client in
            let (cookie, _) = try await signIn(client, cookieName: "sealed")
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.status == .ok)
                try #expect(response.identity().method == "sealed-session")
            }
            #expect(fixture.sessionStore.count == 0)
        }
    }
}

/// Signs `user-1` in through `/token` and `/login`; returns the session
/// cookie (`name=value`) and the CSRF token issued after sign-in.
func signIn(_ client: some TestClientProtocol, cookieName: String = "sid") async throws -> (cookie: String, csrfToken: String) {
    let (anonymous, token) = try await client.execute(uri: "/token", method: .get) { response in
        (try #require(response.cookie(cookieName)), response.text)
    }
    return try await client.execute(
        uri: "/login", method: .post, headers: .with([("Cookie", anonymous), ("X-CSRF-Token", token)])
    ) { response in
        #expect(response.status == .ok, "\(response.text)")
        return (try #require(response.cookie(cookieName)), response.text)
    }
}
