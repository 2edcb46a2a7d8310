import Crypto
import Foundation
import Testing
@testable import Tessera

/// API access keys: format, storage, checks, lifecycle and where they are read from.
@Suite struct APIKeyTests {
    let clock = ManualWallClock()
    let store = MemoryAPIKeyStore()
    var keys: APIKeys { APIKeys(store: store, clock: clock) }

    @Test func keysHaveThePrefixIdentifierSecretAndChecksum() async throws {
        let created = try await keys.create(owner: "alice", name: "deploy bot", scopes: ["deploy"])
        #expect(created.key.hasPrefix("tsk_"))
        #expect(created.key.utf8.count == APIKey.length)
        #expect(created.key.range(of: "^" + APIKey.pattern + "$", options: .regularExpression) != nil)
        #expect(created.key.contains(created.record.id))
        #expect(!String(describing: APIKey(created.key)!).contains(String(created.key.suffix(49))), "description hides the secret")
    }

    @Test func test_ASVS_6_5_2_storeHoldsOnlyTheSHA256OfTheSecret() async throws {
        let created = try await keys.create(owner: "alice", name: "ci")
        let record = try #require(try await store.record(id: created.record.id))
        let secret = created.key.dropFirst(4 + 12 + 1).dropLast(6)
        #expect(record.secretHash == Array(SHA256.hash(data: Array(secret.utf8))))
        #expect(try await keys.authenticate(created.key).owner == "alice")
        // A key with one secret character changed is refused (its checksum no longer matches,
        // and with a recomputed checksum its hash no longer matches).
        var bytes = Array(created.key.utf8)
        bytes[20] = bytes[20] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        await #expect(throws: APIKeys.Failure.malformed) { _ = try await keys.authenticate(String(decoding: bytes, as: UTF8.self)) }
        let body = Array(bytes.prefix(bytes.count - 6))
        let forged = String(decoding: body + APIKey.checksum(of: body[...]), as: UTF8.self)
        await #expect(throws: APIKeys.Failure.unknown) { _ = try await keys.authenticate(forged) }
    }

    @Test func test_ASVS_6_5_3_keysComeFromTheInjectedCSPRNG() async throws {
        var seen = Set<String>()
        for _ in 0..<200 { seen.insert(try await keys.create(owner: "alice", name: "k").key) }
        #expect(seen.count == 200)
        // 43 base62 digits carry the 256 random bits of the secret.
        #expect(APIKey.secretLength == 43)
    }

    @Test func checksumRejectsGarbageBeforeAnyStoreLookup() async throws {
        let keys = APIKeys(store: FailingAPIKeyStore(), clock: clock)
        for garbage in ["", "tsk_", "Bearer x", String(repeating: "a", count: 5000), "tsk_" + String(repeating: "A", count: 62)] {
            await #expect(throws: APIKeys.Failure.malformed) { _ = try await keys.authenticate(garbage) }
        }
    }

    @Test func revokedExpiredAndOtherOwnersKeys() async throws {
        let keys = keys
        let a = try await keys.create(owner: "alice", name: "one")
        let b = try await keys.create(owner: "alice", name: "two", lifetime: 60)
        let bob = try await keys.create(owner: "bob", name: "bob's")
        #expect(try await keys.revoke(id: a.record.id, ofOwner: "bob") == false, "bob can't revoke alice's key")
        _ = try await keys.authenticate(a.key)
        #expect(try await keys.revoke(id: a.record.id, ofOwner: "alice"))
        await #expect(throws: APIKeys.Failure.revoked) { _ = try await keys.authenticate(a.key) }
        clock.advance(by: 61)
        await #expect(throws: APIKeys.Failure.expired) { _ = try await keys.authenticate(b.key) }
        #expect(Set(try await keys.keys(ofOwner: "alice").map(\.name)) == ["one", "two"])
        #expect(try await keys.revokeAll(ofOwner: "bob") == 1)
        await #expect(throws: APIKeys.Failure.revoked) { _ = try await keys.authenticate(bob.key) }
    }

    @Test func lastUseIsWrittenAtMostOncePerInterval() async throws {
        let keys = keys
        let created = try await keys.create(owner: "alice", name: "k")
        _ = try await keys.authenticate(created.key)
        let first = try await store.record(id: created.record.id)?.lastUsedAt
        #expect(first == clock.now())
        clock.advance(by: 30)
        _ = try await keys.authenticate(created.key)
        #expect(try await store.record(id: created.record.id)?.lastUsedAt == first)
        clock.advance(by: 31)
        _ = try await keys.authenticate(created.key)
        #expect(try await store.record(id: created.record.id)?.lastUsedAt == clock.now())
    }

    @Test func anUnreachableStoreFailsClosed() async throws {
        let created = try await keys.create(owner: "alice", name: "k")
        let down = APIKeys(store: FailingAPIKeyStore(), clock: clock)
        await #expect(throws: APIKeys.Failure.unavailable(.unavailable("down"))) { _ = try await down.authenticate(created.key) }
    }

    @Test func keysAreReadFromTheThreeHeadersButNotTheQueryByDefault() {
        let key = "tsk_" + String(repeating: "A", count: 12) + "_" + String(repeating: "B", count: 49)
        let source = APIKeyCredentialSource()
        func headers(_ pairs: [(String, String)]) -> (String) -> [String] {
            { name in pairs.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
        }
        #expect(source.presented(headers: headers([("Authorization", "Bearer \(key)")])) == .key(key))
        #expect(source.presented(headers: headers([("api-access-key", key)])) == .key(key))
        #expect(source.presented(headers: headers([("X-API-Key", key)])) == .key(key))
        #expect(source.presented(headers: headers([("Authorization", "Bearer eyJhbGciOi.x.y")])) == .none, "a JWT bearer is not an API key")
        #expect(source.presented(headers: headers([("X-API-Key", key), ("API-Access-Key", key + "x")])) == .conflicting)
    }

    @Test func test_ASVS_14_2_1_queryParameterKeysAreIgnoredUnlessEnabled() {
        let key = "tsk_" + String(repeating: "A", count: 12) + "_" + String(repeating: "B", count: 49)
        let query: (String) -> [String] = { $0 == "api_key" ? [key] : [] }
        #expect(APIKeyCredentialSource().presented(headers: { _ in [] }, query: query) == .none)
        #expect(APIKeyCredentialSource(queryParameter: "api_key").presented(headers: { _ in [] }, query: query) == .key(key))
    }
}

/// An API key store whose backend is down.
struct FailingAPIKeyStore: APIKeyStore {
    func insert(_ record: APIKeyRecord) async throws(StoreError) { throw .unavailable("down") }
    func record(id: String) async throws(StoreError) -> APIKeyRecord? { throw .unavailable("down") }
    func records(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord] { throw .unavailable("down") }
    func revoke(id: String, ofOwner owner: String, at date: Date) async throws(StoreError) -> Bool { throw .unavailable("down") }
    func revokeAll(ofOwner owner: String, at date: Date) async throws(StoreError) -> Int { throw .unavailable("down") }
    func recordUse(id: String, at date: Date) async throws(StoreError) { throw .unavailable("down") }
    func deleteInactive(before cutoff: Date, limit: Int) async throws(StoreError) -> Int { throw .unavailable("down") }
}
