import Foundation
import Testing
@testable import Tessera

/// Refresh-token rotation, the reuse grace window and theft detection.
@Suite struct RefreshTokenTests {
    let clock = ManualWallClock()
    let store = MemoryRefreshTokenStore()

    func tokens(grace: TimeInterval = 30) -> RefreshTokens {
        RefreshTokens(configuration: .init(idleLifetime: 3600, absoluteLifetime: 7200, reuseGrace: grace),
                      store: store, key: SecretKey.generate(), clock: clock)
    }

    @Test func issuedTokensAreRandomPrefixedAndStoredOnlyAsAHash() async throws {
        let tokens = tokens()
        let grant = try await tokens.issue(userID: "alice", scope: "read")
        #expect(grant.token.hasPrefix("tsr_") && grant.token.utf8.count == 47)
        #expect(grant.record.tokenHash.count == 32)
        #expect(!grant.record.familyID.isEmpty)
        let other = try await tokens.issue(userID: "alice")
        #expect(other.token != grant.token && other.record.familyID != grant.record.familyID)
        let stored = try await store.record(tokenHash: grant.record.tokenHash)
        #expect(stored?.userID == "alice" && stored?.scope == "read")
    }

    @Test func eachUseRotatesAndTheOldTokenDies() async throws {
        let tokens = tokens(grace: 0)
        let first = try await tokens.issue(userID: "alice")
        clock.advance(by: 1)
        let second = try await tokens.rotate(first.token)
        #expect(second.token != first.token)
        #expect(second.record.generation == 1 && second.record.familyID == first.record.familyID)
        clock.advance(by: 1)
        let third = try await tokens.rotate(second.token)
        #expect(third.record.generation == 2)
        await #expect(throws: RefreshTokens.Failure.reuseDetected(familyID: first.record.familyID, userID: "alice")) {
            _ = try await tokens.rotate(first.token)
        }
        // Theft detected: the whole family is gone, including the newest token.
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(third.token) }
    }

    @Test func twoTabsRefreshingAtOnceGetTheSameSuccessor() async throws {
        let tokens = tokens(grace: 30)
        let first = try await tokens.issue(userID: "alice")
        async let a = tokens.rotate(first.token)
        async let b = tokens.rotate(first.token)
        let (tabA, tabB) = try await (a, b)
        #expect(tabA.token == tabB.token)
        // Both tabs carry on with the shared successor.
        clock.advance(by: 5)
        let next = try await tokens.rotate(tabA.token)
        #expect(next.record.generation == 2)
    }

    @Test func reuseAfterTheGraceWindowRevokesTheFamily() async throws {
        let tokens = tokens(grace: 30)
        let first = try await tokens.issue(userID: "alice")
        let second = try await tokens.rotate(first.token)
        clock.advance(by: 29)
        #expect(try await tokens.rotate(first.token).token == second.token, "inside the grace window")
        clock.advance(by: 2)
        await #expect(throws: RefreshTokens.Failure.reuseDetected(familyID: first.record.familyID, userID: "alice")) {
            _ = try await tokens.rotate(first.token)
        }
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(second.token) }
    }

    @Test func tokensExpireIdleAndFamiliesExpireAbsolutely() async throws {
        let tokens = tokens()
        var grant = try await tokens.issue(userID: "alice")
        clock.advance(by: 3601)
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(grant.token) }
        grant = try await tokens.issue(userID: "alice")
        for _ in 0..<2 {
            clock.advance(by: 3000)
            grant = try await tokens.rotate(grant.token)
        }
        // Used 3000 s ago, so idle-wise fine, but 9000 s after sign-in: past the family's 7200 s.
        #expect(grant.record.expiresAt == grant.record.familyExpiresAt)
        clock.advance(by: 3000)
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(grant.token) }
    }

    @Test(arguments: ["", "tsr_", "tsr_" + String(repeating: "A", count: 42), "tsx_" + String(repeating: "A", count: 43), String(repeating: "x", count: 10_000)])
    func malformedTokensAreInvalidWithoutAStoreCall(_ token: String) async throws {
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens().rotate(token) }
    }

    @Test func revokingAUserEndsEveryFamily() async throws {
        let tokens = tokens()
        let a = try await tokens.issue(userID: "alice")
        let b = try await tokens.issue(userID: "alice")
        let bob = try await tokens.issue(userID: "bob")
        #expect(try await tokens.revokeAll(ofUser: "alice") == 2)
        for grant in [a, b] {
            await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(grant.token) }
        }
        _ = try await tokens.rotate(bob.token)
        let c = try await tokens.issue(userID: "carol")
        try await tokens.revokeFamily(of: c.token)
        await #expect(throws: RefreshTokens.Failure.invalid) { _ = try await tokens.rotate(c.token) }
    }

    @Test func anUnreachableStoreFailsClosed() async throws {
        let tokens = RefreshTokens(store: FailingRefreshTokenStore(), key: SecretKey.generate())
        await #expect(throws: RefreshTokens.Failure.unavailable(.unavailable("down"))) {
            _ = try await tokens.rotate("tsr_" + Base64.urlSafeEncode(SecureRandom.bytes(32)))
        }
    }
}

/// A refresh-token store whose backend is down.
struct FailingRefreshTokenStore: RefreshTokenStore {
    func insert(_ record: RefreshTokenRecord) async throws(StoreError) { throw .unavailable("down") }
    func record(tokenHash: [UInt8]) async throws(StoreError) -> RefreshTokenRecord? { throw .unavailable("down") }
    func markRotated(tokenHash: [UInt8], at date: Date) async throws(StoreError) -> Bool { throw .unavailable("down") }
    func deleteFamily(_ familyID: String) async throws(StoreError) -> Int { throw .unavailable("down") }
    func deleteFamilies(ofUser userID: String) async throws(StoreError) -> Int { throw .unavailable("down") }
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int { throw .unavailable("down") }
}

/// Theft detection leaves an audit trail, with no token in it.
@Suite struct RefreshTokenAuditTests {
    @Test func reuseDetectionEmitsOneWarningWithoutTheToken() async throws {
        let logs = CapturedLogs()
        let clock = ManualWallClock()
        let tokens = RefreshTokens(
            configuration: .init(reuseGrace: 0), store: MemoryRefreshTokenStore(), key: SecretKey.generate(),
            audit: AuditLog(logger: logs.logger), clock: clock)
        let first = try await tokens.issue(userID: "alice")
        _ = try await tokens.rotate(first.token)
        clock.advance(by: 1)
        _ = try? await tokens.rotate(first.token)
        let events = logs.lines.filter { $0.metadata["event"] == "refresh_token.reuse_detected" }
        #expect(events.count == 1)
        #expect(events.first?.level == .warning)
        #expect(events.first?.metadata["user"] == "alice" && events.first?.metadata["family"] == first.record.familyID)
        #expect(!logs.lines.map(\.rendered).joined().contains(first.token))
    }
}
