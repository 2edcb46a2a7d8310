import Crypto
import Foundation
import Testing
@testable import Tessera

/// The credential-store protocols (``APIKeyStore``, ``LoginThrottleStore``,
/// ``RefreshTokenStore``, ``TokenDenyList``, ``OneTimeTokenStore``), called
/// directly against every backend: memory, SQLite (a temporary file) and
/// PostgreSQL (a schema of its own). What a custom store must also do. The
/// throttling, refresh-token, deny-list and one-time token tests are in the
/// extensions next to this file.
@Suite("Credential store conformance")
struct CredentialStoreConformanceTests {
    /// A time with a fractional part, so a store that rounds to seconds fails.
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)

    /// `count` random bytes.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A fresh API key: its record (holding the hash) and the secret the
    /// store must never see.
    static func apiKey(
        owner: String = "alice",
        name: String = "deploy bot",
        scopes: [String] = ["read"],
        createdAt: Date = t0,
        expiresAt: Date? = nil,
        id: String? = nil
    ) -> (record: APIKeyRecord, secret: [UInt8]) {
        let secret = randomBytes(32)
        let record = APIKeyRecord(
            id: id ?? Hex.encode(randomBytes(8)), secretHash: Array(SHA256.hash(data: secret)), name: name, owner: owner,
            scopes: scopes, createdAt: createdAt, expiresAt: expiresAt
        )
        return (record, secret)
    }

    // MARK: API keys

    @Test("API keys: insert then look up returns an equal record, every field included", arguments: StoreKind.serverSide)
    func apiKeyInsertThenLookup(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            var full = Self.apiKey(
                owner: "o'brien; DROP TABLE tessera_api_keys;--", name: "Ünïcödé ✓ 'quoted' \"double\"",
                scopes: ["read", "write:all", "with space", "", "[\"json\"]", "ünï", "a\nb"],
                expiresAt: Self.t0.addingTimeInterval(86_400.5)
            ).record
            full.lastUsedAt = Self.t0.addingTimeInterval(0.125)
            full.revokedAt = Self.t0.addingTimeInterval(3.75)
            let bare = Self.apiKey(name: "", scopes: []).record  // every optional nil, no scopes
            let far = Self.apiKey(scopes: ["admin"], createdAt: Date(timeIntervalSince1970: 4_102_444_800.999), expiresAt: Date(timeIntervalSince1970: 4_102_444_801.0625)).record
            let samples = [full, bare, far]
            for sample in samples { try await stores.apiKeys.insert(sample) }
            for sample in samples {
                let loaded = try #require(try await stores.apiKeys.record(id: sample.id))
                #expect(loaded.secretHash == sample.secretHash)
                #expect(loaded.scopes == sample.scopes)
                #expect(loaded.createdAt == sample.createdAt)
                #expect(loaded.expiresAt == sample.expiresAt)
                #expect(loaded.lastUsedAt == sample.lastUsedAt)
                #expect(loaded.revokedAt == sample.revokedAt)
                #expect(loaded == sample)
            }
            #expect(try await stores.apiKeys.record(id: "no-such-key") == nil)
            #expect(try await stores.apiKeys.record(id: "") == nil)
        }
    }

    @Test("API keys: inserting a taken ID throws duplicateKey and leaves the first record alone", arguments: StoreKind.serverSide)
    func apiKeyDuplicateInsert(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let first = Self.apiKey(owner: "alice").record
            try await stores.apiKeys.insert(first)
            let second = Self.apiKey(owner: "mallory", id: first.id).record
            await #expect(throws: StoreError.duplicateKey) { try await stores.apiKeys.insert(second) }
            await #expect(throws: StoreError.duplicateKey) { try await stores.apiKeys.insert(first) }
            #expect(try await stores.apiKeys.record(id: first.id) == first)
            #expect(try await stores.apiKeys.records(ofOwner: "mallory").isEmpty)
        }
    }

    @Test("API keys: an owner's records are all of theirs (revoked and expired too), oldest first", arguments: StoreKind.serverSide)
    func apiKeyRecordsOfOwner(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let newest = Self.apiKey(createdAt: Self.t0.addingTimeInterval(2)).record
            let oldest = Self.apiKey(createdAt: Self.t0.addingTimeInterval(-1), expiresAt: Self.t0).record  // expired
            let tieB = Self.apiKey(createdAt: Self.t0, id: "tie-b").record
            let tieA = Self.apiKey(createdAt: Self.t0, id: "tie-a").record
            let others = Self.apiKey(owner: "bob").record
            for record in [newest, others, tieB, oldest, tieA] { try await stores.apiKeys.insert(record) }
            #expect(try await stores.apiKeys.revoke(id: newest.id, ofOwner: "alice", at: Self.t0.addingTimeInterval(3)))
            var revokedNewest = newest
            revokedNewest.revokedAt = Self.t0.addingTimeInterval(3)
            #expect(try await stores.apiKeys.records(ofOwner: "alice") == [oldest, tieA, tieB, revokedNewest])
            #expect(try await stores.apiKeys.records(ofOwner: "bob") == [others])
            #expect(try await stores.apiKeys.records(ofOwner: "Alice").isEmpty)
            #expect(try await stores.apiKeys.records(ofOwner: "nobody").isEmpty)
        }
    }

    @Test("API keys: another owner can't revoke a key (false, and the key stays active); its owner can, once", arguments: StoreKind.serverSide)
    func apiKeyRevokeIsOwnerScoped(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = Self.apiKey(owner: "alice").record
            try await stores.apiKeys.insert(key)
            let now = Self.t0.addingTimeInterval(10)
            for intruder in ["mallory", "Alice", "alice ", "", "alice' OR '1'='1"] {
                #expect(try await stores.apiKeys.revoke(id: key.id, ofOwner: intruder, at: now) == false)
            }
            let untouched = try #require(try await stores.apiKeys.record(id: key.id))
            #expect(untouched == key)
            #expect(untouched.isActive(at: now))
            #expect(try await stores.apiKeys.revokeAll(ofOwner: "mallory", at: now) == 0)
            #expect(try await stores.apiKeys.record(id: key.id)?.revokedAt == nil)

            #expect(try await stores.apiKeys.revoke(id: "no-such-key", ofOwner: "alice", at: now) == false)
            #expect(try await stores.apiKeys.revoke(id: key.id, ofOwner: "alice", at: now) == true)
            // Already revoked: false, and the first date stays.
            #expect(try await stores.apiKeys.revoke(id: key.id, ofOwner: "alice", at: now.addingTimeInterval(5)) == false)
            let revoked = try #require(try await stores.apiKeys.record(id: key.id))
            #expect(revoked.revokedAt == now)
            #expect(!revoked.isActive(at: now))
        }
    }

    @Test("test_ASVS_7_4_2: revokeAll revokes every unrevoked key of the owner, counts them, and touches nobody else's", arguments: StoreKind.serverSide)
    func test_ASVS_7_4_2_apiKeyRevokeAll(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let live = (0..<3).map { Self.apiKey(createdAt: Self.t0.addingTimeInterval(Double($0))).record }
            let earlier = Self.apiKey(createdAt: Self.t0.addingTimeInterval(5)).record
            let bobs = Self.apiKey(owner: "bob").record
            for record in live + [earlier, bobs] { try await stores.apiKeys.insert(record) }
            let before = Self.t0.addingTimeInterval(20), now = Self.t0.addingTimeInterval(30)
            #expect(try await stores.apiKeys.revoke(id: earlier.id, ofOwner: "alice", at: before))
            #expect(try await stores.apiKeys.revokeAll(ofOwner: "alice", at: now) == 3)
            for record in live { #expect(try await stores.apiKeys.record(id: record.id)?.revokedAt == now) }
            #expect(try await stores.apiKeys.record(id: earlier.id)?.revokedAt == before, "an earlier revocation keeps its date")
            #expect(try await stores.apiKeys.record(id: bobs.id) == bobs)
            #expect(try await stores.apiKeys.revokeAll(ofOwner: "alice", at: now) == 0)
            #expect(try await stores.apiKeys.revokeAll(ofOwner: "nobody", at: now) == 0)
        }
    }

    @Test("API keys: recordUse sets lastUsedAt and nothing else; an unknown ID is not an error", arguments: StoreKind.serverSide)
    func apiKeyRecordUse(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = Self.apiKey(scopes: ["a", "b"], expiresAt: Self.t0.addingTimeInterval(100)).record
            try await stores.apiKeys.insert(key)
            try await stores.apiKeys.recordUse(id: key.id, at: Self.t0.addingTimeInterval(1.5))
            var expected = key
            expected.lastUsedAt = Self.t0.addingTimeInterval(1.5)
            #expect(try await stores.apiKeys.record(id: key.id) == expected)
            try await stores.apiKeys.recordUse(id: key.id, at: Self.t0.addingTimeInterval(60.25))
            expected.lastUsedAt = Self.t0.addingTimeInterval(60.25)
            #expect(try await stores.apiKeys.record(id: key.id) == expected)
            try await stores.apiKeys.recordUse(id: "no-such-key", at: Self.t0)
            #expect(try await stores.apiKeys.record(id: "no-such-key") == nil)
        }
    }

    @Test("API keys: deleteInactive removes at most `limit` keys revoked or expired at or before the cutoff", arguments: StoreKind.serverSide)
    func apiKeyDeleteInactive(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let cutoff = Self.t0.addingTimeInterval(100)
            let expiredLongAgo = Self.apiKey(expiresAt: Self.t0).record
            let expiresAtCutoff = Self.apiKey(expiresAt: cutoff).record
            let expiresLater = Self.apiKey(expiresAt: cutoff.addingTimeInterval(0.25)).record
            let revokedEarly = Self.apiKey().record
            let revokedAtCutoff = Self.apiKey().record
            let revokedLater = Self.apiKey().record
            let forever = Self.apiKey().record
            let all = [expiredLongAgo, expiresAtCutoff, expiresLater, revokedEarly, revokedAtCutoff, revokedLater, forever]
            for record in all { try await stores.apiKeys.insert(record) }
            #expect(try await stores.apiKeys.revoke(id: revokedEarly.id, ofOwner: "alice", at: Self.t0))
            #expect(try await stores.apiKeys.revoke(id: revokedAtCutoff.id, ofOwner: "alice", at: cutoff))
            #expect(try await stores.apiKeys.revoke(id: revokedLater.id, ofOwner: "alice", at: cutoff.addingTimeInterval(1)))

            #expect(try await stores.apiKeys.deleteInactive(before: cutoff, limit: 0) == 0)
            #expect(try await stores.apiKeys.deleteInactive(before: cutoff, limit: -1) == 0)
            #expect(try await stores.apiKeys.deleteInactive(before: cutoff, limit: 3) == 3)
            #expect(try await stores.apiKeys.deleteInactive(before: cutoff, limit: 3) == 1)
            #expect(try await stores.apiKeys.deleteInactive(before: cutoff, limit: 3) == 0)
            for gone in [expiredLongAgo, expiresAtCutoff, revokedEarly, revokedAtCutoff] {
                #expect(try await stores.apiKeys.record(id: gone.id) == nil)
            }
            let kept = try await stores.apiKeys.records(ofOwner: "alice").map(\.id)
            #expect(Set(kept) == [expiresLater.id, revokedLater.id, forever.id])
        }
    }

    @Test("test_ASVS_6_5_2: the stored API key row holds the 32-byte SHA-256 of the secret, never the secret", arguments: [StoreKind.sqlite, .postgres])
    func test_ASVS_6_5_2_apiKeyRowHoldsOnlyTheHash(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let (record, secret) = Self.apiKey(scopes: ["read"])
            try await stores.apiKeys.insert(record)
            try await stores.apiKeys.recordUse(id: record.id, at: Self.t0)
            let rows = try #require(try await stores.rawRows(of: "tessera_api_keys"))
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row["secret_hash"] == .some(Array(SHA256.hash(data: secret))))
            #expect(row["secret_hash"]??.count == 32)
            // The secret appears in no column, raw or in a text spelling.
            let spellings: [[UInt8]] = [secret, Array(Hex.encode(secret).utf8), Array(Base64.urlSafeEncode(secret).utf8), Array(Base64.standardEncode(secret).utf8)]
            for (column, value) in row {
                guard let value else { continue }
                for spelling in spellings {
                    #expect(!Self.contains(value, spelling), "column \(column) holds the secret")
                }
            }
            // A hash of a secret one byte off is a different hash.
            var altered = secret
            altered[0] ^= 1
            #expect(Array(SHA256.hash(data: altered)) != (try await stores.apiKeys.record(id: record.id))?.secretHash)
        }
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
