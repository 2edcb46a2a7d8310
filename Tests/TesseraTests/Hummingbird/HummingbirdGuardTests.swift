import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraHummingbird

/// The guards: 401 with the right challenges, the login redirect, scopes,
/// step-up, CSRF and JSON-only bodies.
@Suite struct HummingbirdGuardTests {
    let fixture = HummingbirdFixture()

    @Test func unauthenticatedAPIRequestsGet401ProblemDetailsWithEveryChallenge() async throws {
        try await fixture.app(basic: true).test(.router) { client in
            try await client.execute(uri: "/me", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.problemCode == "authentication_required")
                let challenges = response.headers[values: .wwwAuthenticate]
                #expect(challenges == [#"Bearer realm="tessera""#, #"Basic realm="tessera", charset="UTF-8""#])
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["status"] as? Int == 401 && body?["type"] as? String == "about:blank" && body?["title"] as? String == "Unauthorized")
            }
        }
    }

    @Test func browsersAskingForAPageAreSentToTheLoginPage() async throws {
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/html?tab=keys", method: .get, headers: .with([("Accept", "text/html,application/xhtml+xml")])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?rd=/html%3Ftab%3Dkeys")
            }
            // A script asking the same route gets the 401.
            try await client.execute(uri: "/html", method: .get, headers: .with([("Accept", "application/json")])) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func scopesAreEnforcedForKeysAndTokensButNotTheUserThemselves() async throws {
        let reader = try await fixture.apiKeys.create(owner: "bob", name: "r", scopes: ["reports:read"])
        let writer = try await fixture.apiKeys.create(owner: "bob", name: "w", scopes: ["reports:write"])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/reports", method: .get, headers: .with([("X-API-Key", reader.key)])) { #expect($0.status == .ok) }
            try await client.execute(uri: "/reports", method: .get, headers: .with([("X-API-Key", writer.key)])) { response in
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "insufficient_scope")
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="tessera", error="insufficient_scope", scope="reports:read""#)
            }
            let (cookie, _) = try await signIn(client)
            try await client.execute(uri: "/reports", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .ok) }
        }
    }

    @Test func test_ASVS_7_5_1_sensitiveActionsNeedARecentSignIn() async throws {
        let key = try await fixture.apiKeys.create(owner: "bob", name: "k")
        try await fixture.app().test(.router) { client in
            let (cookie, token) = try await signIn(client)
            let headers: HTTPFields = .with([("Cookie", cookie), ("X-CSRF-Token", token)])
            fixture.clock.advance(by: 60)
            try await client.execute(uri: "/sensitive", method: .post, headers: headers) { #expect($0.status == .ok) }
            fixture.clock.advance(by: 600)
            let stepped = try await client.execute(uri: "/sensitive", method: .post, headers: headers) { response in
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "reauthentication_required")
                return response.cookie("sid") ?? cookie
            }
            let fresh = try await client.execute(uri: "/step-up", method: .post, headers: .with([("Cookie", stepped), ("X-CSRF-Token", token)])) { response in
                try #require(response.cookie("sid"))
            }
            try await client.execute(uri: "/sensitive", method: .post, headers: .with([("Cookie", fresh), ("X-CSRF-Token", token)])) { #expect($0.status == .ok) }
            // An API key never counts as a recent sign-in.
            try await client.execute(uri: "/sensitive", method: .post, headers: .with([("X-API-Key", key.key)])) { #expect($0.status == .forbidden) }
        }
    }

    @Test func test_ASVS_3_5_1_formPostNeedsTheSessionsToken() async throws {
        try await fixture.app().test(.live) { client in
            let (cookie, token) = try await signIn(client)
            let (otherCookie, otherToken) = try await signIn(client)
            #expect(cookie != otherCookie)
            let form = "application/x-www-form-urlencoded"
            func post(_ body: String, cookie: String) async throws -> TestResponse {
                try await client.execute(uri: "/me", method: .post, headers: .with([("Cookie", cookie), ("Content-Type", form)]),
                                         body: ByteBuffer(string: body)) { $0 }
            }
            let missing = try await post("name=x", cookie: cookie)
            #expect(missing.status == .forbidden && missing.problemCode == "csrf.token_missing")
            let foreign = try await post("csrf_token=\(otherToken)", cookie: cookie)
            #expect(foreign.status == .forbidden && foreign.problemCode == "csrf.token_mismatch")
            let good = try await post("name=x&csrf_token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", cookie: cookie)
            #expect(good.status == .ok)
            #expect(fixture.logs.lines.filter { $0.metadata["event"] == "csrf.rejected" }.count == 2)
        }
    }

    @Test func test_ASVS_3_5_3_crossSiteAndUntrustedOriginsAreRefusedSameOriginPasses() async throws {
        try await fixture.app().test(.live) { client in
            let (cookie, _) = try await signIn(client)
            let cases: [([(String, String)], HTTPResponse.Status, String?)] = [
                ([("Sec-Fetch-Site", "cross-site")], .forbidden, "csrf.cross_site_fetch"),
                ([("Sec-Fetch-Site", "same-origin")], .ok, nil),
                ([("Origin", "http://app.test.attacker.example")], .forbidden, "csrf.origin_untrusted"),
                ([("Origin", "null")], .forbidden, "csrf.origin_null"),
                ([("Origin", HummingbirdFixture.origin)], .ok, nil),
            ]
            for (extra, status, code) in cases {
                try await client.execute(uri: "/me", method: .post, headers: .with([("Cookie", cookie)] + extra)) { response in
                    #expect(response.status == status, "\(extra)")
                    #expect(response.problemCode == code, "\(extra)")
                }
            }
            // GET is never checked (and never authorises a write).
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", cookie), ("Sec-Fetch-Site", "cross-site")])) { #expect($0.status == .ok) }
        }
    }

    @Test func test_CS_C9_loginCSRFIsRefused() async throws {
        try await fixture.app().test(.live) { client in
            // An anonymous cross-site post to the login route never reaches it.
            try await client.execute(uri: "/login", method: .post, headers: .with([("Sec-Fetch-Site", "cross-site")])) { response in
                #expect(response.status == .forbidden)
                #expect(response.setCookies.allSatisfy { !$0.contains("Max-Age=0") || $0.hasPrefix("sid=;") })
            }
            try await client.execute(uri: "/login", method: .post) { #expect($0.status == .forbidden) }
        }
    }

    @Test func test_ASVS_3_5_2_and_CS_C5_jsonRoutesRefuseSimpleContentTypes() async throws {
        try await fixture.app().test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"] {
                try await client.execute(uri: "/json", method: .post, headers: .with([("Content-Type", type), ("Sec-Fetch-Site", "same-origin")]),
                                         body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(response.problemCode == "unsupported_media_type")
                }
            }
            for type in ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"] {
                try await client.execute(uri: "/json", method: .post, headers: .with([("Content-Type", type), ("Sec-Fetch-Site", "same-origin")]),
                                         body: ByteBuffer(string: "{}")) { #expect($0.status == .ok, "\(type)") }
            }
        }
    }

    @Test func storeOutagesOfCredentialStoresAnswer503OnProtectedRoutesOnly() async throws {
        let issued = try await fixture.accessTokens(denyList: fixture.denyList).issue(subject: "alice")
        try await fixture.app(tokenDenyList: FailingDenyList()).test(.live) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", "Bearer \(issued.token)")])) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.problemCode == "store_unavailable")
            }
            try await client.execute(uri: "/public", method: .get, headers: .with([("Authorization", "Bearer \(issued.token)")])) { #expect($0.status == .ok) }
        }
    }
}
