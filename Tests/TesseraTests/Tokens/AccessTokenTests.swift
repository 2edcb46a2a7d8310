import Crypto
import Foundation
import Testing
@testable import Tessera

/// Access tokens: issuing, the RFC 9068 profile, revocation by `jti` and by user.
@Suite struct AccessTokenTests {
    let clock = ManualWallClock()
    let denyList = MemoryTokenDenyList()
    let epochs = RevocationEpochs(store: MemoryRevocationEpochStore(), maximumLag: 0)

    func tokens(audiences: [String] = ["api"], key: JWTVerificationKey? = nil) async throws -> AccessTokens {
        let chosen: JWTVerificationKey
        if let key { chosen = key } else { chosen = try await .derived(from: KeyRing(single: SecretKey.generate()).entries[0]) }
        return try AccessTokens(
            configuration: .init(issuer: "https://auth.example", audiences: audiences), keys: JWTKeySet([chosen]),
            denyList: denyList, epochs: epochs, clock: clock)
    }

    @Test func issuedTokensVerifyAndCarryTheProfileClaims() async throws {
        let tokens = try await tokens()
        let issued = try await tokens.issue(subject: "alice", scopes: ["read", "write"])
        let verified = try await tokens.verify(issued.token)
        #expect(verified.subject == "alice" && verified.scopes == ["read", "write"])
        #expect(verified.header["typ"] == .string("at+jwt") && verified.header["kid"] == .string("k1"))
        #expect(verified.tokenID == issued.tokenID)
        #expect(issued.expiresAt.timeIntervalSince(clock.now()) <= 15 * 60, "CS-J6: short-lived by default")
    }

    @Test func test_J_24_revokedTokenIDIsRefusedUntilExpiry() async throws {
        let tokens = try await tokens()
        let issued = try await tokens.issue(subject: "alice")
        let verified = try await tokens.verify(issued.token)
        try await tokens.revoke(verified)
        await #expect(throws: AccessTokens.Failure.rejected(.revoked)) { _ = try await tokens.verify(issued.token) }
        // The deny-list entry only has to outlive the token; after that the sweep drops it.
        clock.advance(by: 3600)
        #expect(try await denyList.deleteExpired(asOf: clock.now(), limit: 10) == 1)
        await #expect(throws: AccessTokens.Failure.rejected(.expired)) { _ = try await tokens.verify(issued.token) }
    }

    @Test func test_ASVS_7_4_1_logoutEndsTheJWT() async throws {
        let tokens = try await tokens()
        let issued = try await tokens.issue(subject: "alice")
        try await tokens.revoke(try await tokens.verify(issued.token))
        await #expect(throws: AccessTokens.Failure.rejected(.revoked)) { _ = try await tokens.verify(issued.token) }
    }

    @Test func test_ASVS_7_4_2_disablingAUserEndsTheirTokens() async throws {
        let tokens = try await tokens()
        let alice = try await tokens.issue(subject: "alice")
        let bob = try await tokens.issue(subject: "bob")
        try await tokens.revokeAll(ofSubject: "alice")
        await #expect(throws: AccessTokens.Failure.rejected(.revoked)) { _ = try await tokens.verify(alice.token) }
        _ = try await tokens.verify(bob.token)
        // A token issued after the revocation works again.
        let fresh = try await tokens.issue(subject: "alice")
        _ = try await tokens.verify(fresh.token)
    }

    @Test func test_ASVS_9_2_2_typeAndPurposeAreChecked() async throws {
        let entry = try KeyRing(single: SecretKey.generate()).entries[0]
        let key = try await JWTVerificationKey.derived(from: entry)
        let tokens = try await tokens(key: key)
        let signer = try JWTSigner(key: key)
        let now = Int64(clock.now().timeIntervalSince1970)
        let claims: JSONValue = .object([
            ("iss", .string("https://auth.example")), ("sub", .string("alice")), ("aud", .string("api")),
            ("iat", .integer(String(now))), ("exp", .integer(String(now + 60))), ("jti", .string("x")),
        ])
        for type in ["JWT", "refresh+jwt", "id_token+jwt"] {
            await #expect(throws: AccessTokens.Failure.rejected(.wrongType)) { _ = try await tokens.verify(try signer.sign(claims, type: type)) }
        }
    }

    @Test func test_ASVS_9_2_4_severalAudiencesMeanEachTokenNamesOne() async throws {
        let tokens = try await tokens(audiences: ["api", "billing"])
        await #expect(throws: JWTKeyError.self) { _ = try await tokens.issue(subject: "alice") }
        let issued = try await tokens.issue(subject: "alice", audience: "billing")
        #expect(try await tokens.verify(issued.token)[claim: "aud"] == .string("billing"))
        await #expect(throws: JWTKeyError.self) { _ = try await tokens.issue(subject: "alice", audience: "elsewhere") }
    }

    @Test func test_CS_J6_defaultLifetimeIsAtMostFifteenMinutes() {
        #expect(AccessTokens.Configuration(issuer: "i", audiences: ["a"]).lifetime <= 900)
    }

    @Test func tokensSignedWithES256AndEdDSAVerifyAndArePublishedInTheJWKS() async throws {
        for algorithm in [JWSAlgorithm.es256, .edDSA] {
            let key = try await JWTVerificationKey.generate(algorithm: algorithm, id: "sig-\(algorithm)")
            let tokens = try await tokens(key: key)
            let issued = try await tokens.issue(subject: "alice")
            #expect(try await tokens.verify(issued.token).algorithm == algorithm)
            // The published JWKS verifies the token on its own, and carries no private part.
            let jwks = JSONWriter().string(try JWTKeySet([key]).jwks)
            #expect(!jwks.contains("\"d\""))
            let published = try await JWTKeySet.parse(jwkJSON: jwks)
            let verifier = try JWTVerifier(keys: published, policy: .accessTokens(algorithms: [algorithm], issuer: "https://auth.example", audiences: ["api"]), clock: clock)
            #expect(try verifier.verify(issued.token).subject == "alice")
        }
    }

    @Test func hmacKeysAreNeverPublished() async throws {
        let key = try await JWTVerificationKey.hmac(SymmetricKey(size: .bits256), id: "h")
        #expect(try JWTKeySet([key]).jwks == .object([("keys", .array([]))]))
    }

    @Test func anUnreachableDenyListFailsClosed() async throws {
        let key = try await JWTVerificationKey.hmac(SymmetricKey(size: .bits256), id: "h")
        let tokens = try AccessTokens(configuration: .init(issuer: "i", audiences: ["a"]), keys: JWTKeySet([key]), denyList: FailingDenyList(), clock: clock)
        let issued = try await tokens.issue(subject: "alice")
        await #expect(throws: AccessTokens.Failure.unavailable(.unavailable("down"))) { _ = try await tokens.verify(issued.token) }
    }
}

/// A deny-list whose backend is down.
struct FailingDenyList: TokenDenyList {
    func deny(_ tokenID: String, until: Date) async throws(StoreError) { throw .unavailable("down") }
    func isDenied(_ tokenID: String, at date: Date) async throws(StoreError) -> Bool { throw .unavailable("down") }
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int { throw .unavailable("down") }
}

/// The memory deny-list stays bounded and makes room only from lapsed entries.
@Suite struct MemoryTokenDenyListTests {
    @Test func aFullListRefusesUntilEntriesLapse() async throws {
        let clock = ManualWallClock()
        let list = MemoryTokenDenyList(capacity: 2, clock: clock)
        try await list.deny("a", until: clock.now().addingTimeInterval(60))
        try await list.deny("b", until: clock.now().addingTimeInterval(60))
        await #expect(throws: StoreError.capacityExceeded(limit: 2)) { try await list.deny("c", until: clock.now().addingTimeInterval(60)) }
        #expect(try await list.isDenied("a", at: clock.now()))
        clock.advance(by: 61)
        try await list.deny("c", until: clock.now().addingTimeInterval(60))
        #expect(try await list.isDenied("c", at: clock.now()))
    }
}
