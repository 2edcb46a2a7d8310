import Crypto
import Foundation
import Testing
@testable import Tessera

/// ``RefreshTokenStore`` and ``TokenDenyList`` against every backend.
extension CredentialStoreConformanceTests {
    /// A fresh refresh-token record of `familyID`.
    static func refreshToken(
        family familyID: String = "family-1",
        user userID: String = "alice",
        generation: Int = 0,
        scope: String = "read write",
        issuedAt: Date = t0,
        expiresAt: Date? = nil,
        rotatedAt: Date? = nil
    ) -> RefreshTokenRecord {
        RefreshTokenRecord(
            tokenHash: Array(SHA256.hash(data: randomBytes(32))), familyID: familyID, userID: userID, generation: generation,
            scope: scope, issuedAt: issuedAt, expiresAt: expiresAt ?? issuedAt.addingTimeInterval(3600.5),
            familyExpiresAt: issuedAt.addingTimeInterval(30 * 86_400 + 0.75), rotatedAt: rotatedAt
        )
    }

    // MARK: Refresh tokens

    @Test("Refresh tokens: insert then look up returns an equal record; a miss is nil; a taken hash is duplicateKey", arguments: StoreKind.serverSide)
    func refreshTokenInsertThenLookup(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let fresh = Self.refreshToken()
            let rotated = Self.refreshToken(generation: 7, scope: "", rotatedAt: Self.t0.addingTimeInterval(12.5))
            let odd = Self.refreshToken(
                family: "fam'; DROP TABLE tessera_refresh_tokens;--", user: "Ünïcödé ✓", generation: Int(Int32.max) + 5,
                scope: "openid profile \"quoted\"", issuedAt: Date(timeIntervalSince1970: 4_102_444_800.999)
            )
            for record in [fresh, rotated, odd] { try await stores.refreshTokens.insert(record) }
            for record in [fresh, rotated, odd] {
                #expect(try await stores.refreshTokens.record(tokenHash: record.tokenHash) == record)
            }
            var unknown = fresh.tokenHash
            unknown[31] ^= 1
            #expect(try await stores.refreshTokens.record(tokenHash: unknown) == nil)
            #expect(try await stores.refreshTokens.record(tokenHash: []) == nil)

            var thief = Self.refreshToken(family: "family-2", user: "mallory")
            thief.tokenHash = fresh.tokenHash
            await #expect(throws: StoreError.duplicateKey) { try await stores.refreshTokens.insert(thief) }
            #expect(try await stores.refreshTokens.record(tokenHash: fresh.tokenHash) == fresh)
        }
    }

    @Test("Refresh tokens: markRotated sets rotatedAt once; later calls, rotated and unknown tokens return false", arguments: StoreKind.serverSide)
    func refreshTokenMarkRotatedIsCompareAndSet(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let token = Self.refreshToken()
            let alreadyRotated = Self.refreshToken(rotatedAt: Self.t0)
            try await stores.refreshTokens.insert(token)
            try await stores.refreshTokens.insert(alreadyRotated)
            let first = Self.t0.addingTimeInterval(60.25)
            #expect(try await stores.refreshTokens.markRotated(tokenHash: token.tokenHash, at: first) == true)
            #expect(try await stores.refreshTokens.markRotated(tokenHash: token.tokenHash, at: first.addingTimeInterval(1)) == false)
            #expect(try await stores.refreshTokens.markRotated(tokenHash: alreadyRotated.tokenHash, at: first) == false)
            #expect(try await stores.refreshTokens.markRotated(tokenHash: Self.randomBytes(32), at: first) == false)
            var expected = token
            expected.rotatedAt = first
            #expect(try await stores.refreshTokens.record(tokenHash: token.tokenHash) == expected)
            #expect(try await stores.refreshTokens.record(tokenHash: alreadyRotated.tokenHash) == alreadyRotated)
        }
    }

    @Test("Refresh tokens: 20 concurrent markRotated calls on one token: exactly one wins", arguments: StoreKind.serverSide)
    func refreshTokenConcurrentRotationHasOneWinner(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let token = Self.refreshToken()
            try await stores.refreshTokens.insert(token)
            let refreshTokens = stores.refreshTokens
            let winners = try await withThrowingTaskGroup(of: Date?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let date = Self.t0.addingTimeInterval(Double(index + 1))
                        return try await refreshTokens.markRotated(tokenHash: token.tokenHash, at: date) ? date : nil
                    }
                }
                return try await group.reduce(into: [Date]()) { winners, date in if let date { winners.append(date) } }
            }
            #expect(winners.count == 1)
            #expect(try await refreshTokens.record(tokenHash: token.tokenHash)?.rotatedAt == winners.first)
        }
    }

    @Test("Refresh tokens: deleteFamily deletes every generation of one family and counts them", arguments: StoreKind.serverSide)
    func refreshTokenDeleteFamily(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let family = (0..<3).map { Self.refreshToken(family: "family-a", generation: $0, rotatedAt: $0 < 2 ? Self.t0 : nil) }
            let sibling = Self.refreshToken(family: "family-b")
            let stranger = Self.refreshToken(family: "family-c", user: "bob")
            for record in family + [sibling, stranger] { try await stores.refreshTokens.insert(record) }
            #expect(try await stores.refreshTokens.deleteFamily("family-a") == 3)
            for record in family { #expect(try await stores.refreshTokens.record(tokenHash: record.tokenHash) == nil) }
            #expect(try await stores.refreshTokens.record(tokenHash: sibling.tokenHash) == sibling)
            #expect(try await stores.refreshTokens.record(tokenHash: stranger.tokenHash) == stranger)
            #expect(try await stores.refreshTokens.deleteFamily("family-a") == 0)
            #expect(try await stores.refreshTokens.deleteFamily("FAMILY-B") == 0)
        }
    }

    @Test("test_ASVS_7_4_2: deleteFamilies(ofUser:) deletes every token of every family of the user, and nobody else's", arguments: StoreKind.serverSide)
    func test_ASVS_7_4_2_refreshTokenDeleteFamiliesOfUser(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let alices = [
                Self.refreshToken(family: "a1", generation: 0, rotatedAt: Self.t0), Self.refreshToken(family: "a1", generation: 1),
                Self.refreshToken(family: "a2"),
            ]
            let bobs = Self.refreshToken(family: "b1", user: "bob")
            for record in alices + [bobs] { try await stores.refreshTokens.insert(record) }
            #expect(try await stores.refreshTokens.deleteFamilies(ofUser: "alice") == 3)
            for record in alices { #expect(try await stores.refreshTokens.record(tokenHash: record.tokenHash) == nil) }
            #expect(try await stores.refreshTokens.record(tokenHash: bobs.tokenHash) == bobs)
            #expect(try await stores.refreshTokens.deleteFamilies(ofUser: "alice") == 0)
            #expect(try await stores.refreshTokens.deleteFamilies(ofUser: "Bob") == 0)
        }
    }

    @Test("Refresh tokens: deleteExpired removes at most `limit` tokens expired at or before now", arguments: StoreKind.serverSide)
    func refreshTokenDeleteExpired(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let now = Self.t0.addingTimeInterval(100)
            let expired = [
                Self.refreshToken(expiresAt: Self.t0), Self.refreshToken(expiresAt: Self.t0.addingTimeInterval(1), rotatedAt: Self.t0),
                Self.refreshToken(expiresAt: now),
            ]
            let live = [Self.refreshToken(expiresAt: now.addingTimeInterval(0.25)), Self.refreshToken(expiresAt: now.addingTimeInterval(1), rotatedAt: Self.t0)]
            for record in expired + live { try await stores.refreshTokens.insert(record) }
            #expect(try await stores.refreshTokens.deleteExpired(asOf: now, limit: 0) == 0)
            #expect(try await stores.refreshTokens.deleteExpired(asOf: now, limit: -1) == 0)
            #expect(try await stores.refreshTokens.deleteExpired(asOf: now, limit: 2) == 2)
            #expect(try await stores.refreshTokens.deleteExpired(asOf: now, limit: 2) == 1)
            #expect(try await stores.refreshTokens.deleteExpired(asOf: now, limit: 2) == 0)
            for record in expired { #expect(try await stores.refreshTokens.record(tokenHash: record.tokenHash) == nil) }
            for record in live { #expect(try await stores.refreshTokens.record(tokenHash: record.tokenHash) == record) }
        }
    }

    // MARK: Deny-list

    @Test("test_ASVS_7_4_1: a denied token ID is refused until its expiry and not after (J-24)", arguments: StoreKind.serverSide)
    func test_ASVS_7_4_1_deniedUntilExpiry(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let until = Self.t0.addingTimeInterval(900)
            #expect(try await stores.denyList.isDenied("jti-1", at: Self.t0) == false)
            try await stores.denyList.deny("jti-1", until: until)
            #expect(try await stores.denyList.isDenied("jti-1", at: Self.t0) == true)
            #expect(try await stores.denyList.isDenied("jti-1", at: until.addingTimeInterval(-0.25)) == true)
            #expect(try await stores.denyList.isDenied("jti-1", at: until) == false)
            #expect(try await stores.denyList.isDenied("jti-1", at: until.addingTimeInterval(1)) == false)
            #expect(try await stores.denyList.isDenied("JTI-1", at: Self.t0) == false)
            #expect(try await stores.denyList.isDenied("jti-2", at: Self.t0) == false)
            #expect(try await stores.denyList.isDenied("", at: Self.t0) == false)
            let odd = "jti'; DELETE FROM tessera_token_deny_list;-- ✓"
            try await stores.denyList.deny(odd, until: until)
            #expect(try await stores.denyList.isDenied(odd, at: Self.t0) == true)
            #expect(try await stores.denyList.isDenied("jti-1", at: Self.t0) == true)
        }
    }

    @Test("Deny-list: denying again keeps the later date, sequentially and concurrently", arguments: StoreKind.serverSide)
    func denyListReDenyKeepsLaterDate(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let until = Self.t0.addingTimeInterval(600)
            try await stores.denyList.deny("jti", until: until)
            try await stores.denyList.deny("jti", until: Self.t0.addingTimeInterval(60))  // shorter: ignored
            #expect(try await stores.denyList.isDenied("jti", at: until.addingTimeInterval(-1)) == true)
            try await stores.denyList.deny("jti", until: until.addingTimeInterval(300))  // longer: kept
            #expect(try await stores.denyList.isDenied("jti", at: until.addingTimeInterval(299.75)) == true)
            #expect(try await stores.denyList.isDenied("jti", at: until.addingTimeInterval(300)) == false)

            let denyList = stores.denyList
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in (0..<20).shuffled() {
                    group.addTask { try await denyList.deny("raced", until: Self.t0.addingTimeInterval(Double(index * 10))) }
                }
                try await group.waitForAll()
            }
            #expect(try await denyList.isDenied("raced", at: Self.t0.addingTimeInterval(189.75)) == true)
            #expect(try await denyList.isDenied("raced", at: Self.t0.addingTimeInterval(190)) == false)
        }
    }

    @Test("test_CS_J3: deleteExpired prunes at most `limit` entries whose date is at or before now, never a live one", arguments: StoreKind.serverSide)
    func test_CS_J3_denyListEntryPrunedAfterExpiry(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let now = Self.t0.addingTimeInterval(100)
            for (index, until) in [Self.t0, Self.t0.addingTimeInterval(50), now].enumerated() {
                try await stores.denyList.deny("dead-\(index)", until: until)
            }
            try await stores.denyList.deny("live-0", until: now.addingTimeInterval(0.25))
            try await stores.denyList.deny("live-1", until: now.addingTimeInterval(3600))
            #expect(try await stores.denyList.deleteExpired(asOf: now, limit: 0) == 0)
            #expect(try await stores.denyList.deleteExpired(asOf: now, limit: -1) == 0)
            #expect(try await stores.denyList.deleteExpired(asOf: now, limit: 2) == 2)
            #expect(try await stores.denyList.deleteExpired(asOf: now, limit: 2) == 1)
            #expect(try await stores.denyList.deleteExpired(asOf: now, limit: 2) == 0)
            #expect(try await stores.denyList.isDenied("live-0", at: now) == true)
            #expect(try await stores.denyList.isDenied("live-1", at: now) == true)
            if let rows = try await stores.rawRows(of: "tessera_token_deny_list") {
                let ids: [String] = rows.compactMap { row in row["token_id"]?.map { String(decoding: $0, as: UTF8.self) } }
                #expect(ids.sorted() == ["live-0", "live-1"])
            }
            // A pruned ID can be denied again.
            try await stores.denyList.deny("dead-0", until: now.addingTimeInterval(10))
            #expect(try await stores.denyList.isDenied("dead-0", at: now) == true)
        }
    }
}
