import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraHummingbird

/// Each authenticator through the router: who the request becomes, and
/// what a bad credential of each kind gets.
@Suite struct HummingbirdAuthenticatorTests {
    let fixture = HummingbirdFixture()

    @Test func signedUserCookieNeedsNoStoreAndRefusesEdits() async throws {
        let cookie = try fixture.userCookie.setCookie(userID: "dave", now: fixture.clock.now())
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", "user=\(cookie.value)")])) { response in
                #expect(response.status == .ok)
                try #expect(response.identity() == IdentityEcho(AuthenticatedIdentity(userID: "dave", method: .signedCookie)))
            }
            // `user=dave` typed by hand, a tampered value, or the value under another name: refused.
            var tampered = Array(cookie.value)
            tampered[4] = tampered[4] == "A" ? "B" : "A"
            for forged in ["user=dave", "user=" + String(tampered), "other=\(cookie.value)"] {
                try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", forged)])) { response in
                    #expect(response.status == .unauthorized, "\(forged)")
                }
            }
            // Older than maxAge: refused.
            fixture.clock.advance(by: 3601)
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", "user=\(cookie.value)")])) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(fixture.sessionStore.count == 0)
    }

    @Test func bearerJWTCarriesScopesAndABadTokenGetsInvalidToken() async throws {
        let tokens = try await fixture.accessTokens(denyList: fixture.denyList)
        let issued = try await tokens.issue(subject: "alice", scopes: ["reports:read"])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", "Bearer \(issued.token)")])) { response in
                #expect(response.status == .ok)
                try #expect(response.identity() == IdentityEcho(AuthenticatedIdentity(
                    userID: "alice", method: .jwt, scopes: ["reports:read"], credentialID: issued.tokenID)))
            }
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", "Bearer \(issued.token)x")])) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[values: .wwwAuthenticate].contains(#"Bearer realm="tessera", error="invalid_token""#))
                #expect(!response.text.contains(issued.token))
            }
            // Revoked by jti: refused until it expires.
            try await tokens.revoke(try await tokens.verify(issued.token))
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", "Bearer \(issued.token)")])) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func jwtInACookieIsAnAmbientCredentialAndCSRFApplies() async throws {
        let issued = try await fixture.accessTokens(denyList: fixture.denyList).issue(subject: "alice")
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", "access=\(issued.token)")])) { response in
                try #expect(response.identity().method == "jwt-cookie")
            }
            let crossSite: HTTPFields = .with([("Cookie", "access=\(issued.token)"), ("Sec-Fetch-Site", "cross-site")])
            try await client.execute(uri: "/me", method: .post, headers: crossSite) { response in
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "csrf.cross_site_fetch")
            }
            // The same token in the header is exempt: a page on another site can't attach it.
            let header: HTTPFields = .with([("Authorization", "Bearer \(issued.token)"), ("Sec-Fetch-Site", "cross-site")])
            try await client.execute(uri: "/me", method: .post, headers: header) { #expect($0.status == .ok) }
        }
    }

    @Test func apiKeysFromEveryHeaderAndTheQueryOnlyWhenEnabled() async throws {
        let created = try await fixture.apiKeys.create(owner: "bob", name: "ci", scopes: ["reports:read"])
        let expected = IdentityEcho(AuthenticatedIdentity(userID: "bob", method: .apiKey, scopes: ["reports:read"], credentialID: created.record.id))
        try await fixture.app().test(.router) { client in
            for header in [("Authorization", "Bearer \(created.key)"), ("API-Access-Key", created.key), ("X-API-Key", created.key)] {
                try await client.execute(uri: "/me", method: .get, headers: .with([header])) { response in
                    #expect(response.status == .ok, "\(header.0)")
                    try #expect(response.identity() == expected)
                }
            }
            try await client.execute(uri: "/me?api_key=\(created.key)", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/me", method: .get, headers: .with([("X-API-Key", created.key), ("API-Access-Key", created.key + "x")])) { response in
                #expect(response.status == .unauthorized, "two different keys")
            }
        }
        try await fixture.app(apiKeyQuery: true).test(.router) { client in
            try await client.execute(uri: "/me?api_key=\(created.key)", method: .get) { response in
                #expect(response.status == .ok)
                try #expect(response.identity() == expected)
            }
        }
        _ = try await fixture.apiKeys.revoke(id: created.record.id, ofOwner: "bob")
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("X-API-Key", created.key)])) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[values: .wwwAuthenticate].contains { $0.contains(#"error="invalid_token""#) })
            }
        }
    }

    @Test func basicIsOffUnlessAddedThenThrottled() async throws {
        try await fixture.addUser("carol", id: "user-carol", password: "correct horse battery")
        let good = "Basic " + Data("carol:correct horse battery".utf8).base64EncodedString()
        let bad = "Basic " + Data("carol:wrong".utf8).base64EncodedString()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", good)])) { response in
                #expect(response.status == .unauthorized)
                #expect(!response.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("Basic") })
            }
        }
        try await fixture.app(basic: true).test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", good)])) { response in
                #expect(response.status == .ok)
                try #expect(response.identity().method == "basic")
            }
            try await client.execute(uri: "/me", method: .get) { response in
                #expect(response.headers[values: .wwwAuthenticate].contains(#"Basic realm="tessera", charset="UTF-8""#))
            }
            for header in ["Basic !!!", "Basic " + Data("no-colon".utf8).base64EncodedString(), "Basic " + Data([0xFF, 0x3A]).base64EncodedString()] {
                try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", header)])) { #expect($0.status == .unauthorized) }
            }
            var throttled = false
            for _ in 0..<LoginThrottlePolicy().accountAtAddress.freeFailures + 3 {
                try await client.execute(uri: "/me", method: .get, headers: .with([("Authorization", bad)])) { response in
                    if response.status == .tooManyRequests {
                        throttled = true
                        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
                    }
                }
            }
            #expect(throttled)
        }
    }

    @Test func authenticatorsAreTriedInOrderAndTheFirstWins() async throws {
        let key = try await fixture.apiKeys.create(owner: "bob", name: "ci")
        let cookie = try fixture.userCookie.setCookie(userID: "dave", now: fixture.clock.now())
        try await fixture.app().test(.router) { client in
            // The signed cookie comes before the API key in this router.
            try await client.execute(uri: "/me", method: .get, headers: .with([("Cookie", "user=\(cookie.value)"), ("X-API-Key", key.key)])) { response in
                try #expect(response.identity().userID == "dave")
            }
        }
    }
}
