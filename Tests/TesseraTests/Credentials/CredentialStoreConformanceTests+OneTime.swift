import Crypto
import Foundation
import Synchronization
import Testing
@testable import Tessera

/// ``OneTimeTokenStore`` against every backend.
extension CredentialStoreConformanceTests {
    /// A fresh one-time token record.
    static func oneTimeToken(
        purpose: OneTimeTokenPurpose = .passwordReset,
        subject: String = "alice",
        issuedAt: Date = t0,
        expiresAt: Date? = nil
    ) -> OneTimeTokenRecord {
        OneTimeTokenRecord(
            tokenHash: Array(SHA256.hash(data: randomBytes(32))), purpose: purpose, subject: subject,
            issuedAt: issuedAt, expiresAt: expiresAt ?? issuedAt.addingTimeInterval(1800.5)
        )
    }

    @Test("One-time tokens: consume returns the inserted record once, then nil; a miss is nil; a taken hash is duplicateKey", arguments: StoreKind.serverSide)
    func oneTimeTokenConsumeReturnsOnce(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let reset = Self.oneTimeToken()
            let activation = Self.oneTimeToken(purpose: .accountActivation, subject: "bob", expiresAt: Self.t0.addingTimeInterval(172_800.125))
            let odd = Self.oneTimeToken(
                purpose: OneTimeTokenPurpose(rawValue: "x'; DROP TABLE tessera_one_time_tokens;-- ~")!, subject: "Ünïcödé ✓ 'quoted'",
                issuedAt: Date(timeIntervalSince1970: 4_102_444_800.999)
            )
            for record in [reset, activation, odd] { try await stores.oneTimeTokens.insert(record) }

            var thief = Self.oneTimeToken(subject: "mallory")
            thief.tokenHash = reset.tokenHash
            await #expect(throws: StoreError.duplicateKey) { try await stores.oneTimeTokens.insert(thief) }

            for record in [reset, activation, odd] {
                #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == record)
                #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == nil)
            }
            var unknown = reset.tokenHash
            unknown[31] ^= 1
            #expect(try await stores.oneTimeTokens.consume(tokenHash: unknown, purpose: .passwordReset) == nil)
            #expect(try await stores.oneTimeTokens.consume(tokenHash: [], purpose: .passwordReset) == nil)
            // A consumed hash is free again (only a broken RNG would reuse one).
            try await stores.oneTimeTokens.insert(reset)
            #expect(try await stores.oneTimeTokens.consume(tokenHash: reset.tokenHash, purpose: .passwordReset) == reset)
        }
    }

    @Test("test_ASVS_6_4_1: consuming with another purpose returns nil and deletes nothing", arguments: StoreKind.serverSide)
    func test_ASVS_6_4_1_oneTimeTokenOfAnotherPurposeIsNotConsumed(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let reset = Self.oneTimeToken(purpose: .passwordReset)
            try await stores.oneTimeTokens.insert(reset)
            let others: [OneTimeTokenPurpose] = [.accountActivation, .emailVerification, "PASSWORD_RESET", "password_reset ", "password_rese"]
            for other in others {
                #expect(try await stores.oneTimeTokens.consume(tokenHash: reset.tokenHash, purpose: other) == nil)
            }
            #expect(try await stores.oneTimeTokens.consume(tokenHash: reset.tokenHash, purpose: .passwordReset) == reset)
        }
    }

    @Test("test_ASVS_6_4_1: 20 concurrent consumes of one token, split across two app servers: exactly one gets it", arguments: StoreKind.serverSide)
    func test_ASVS_6_4_1_concurrentConsumesHaveOneWinner(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            /// Races 20 consumes over `servers` (round robin); returns the records won.
            func race(_ servers: [any OneTimeTokenStore]) async throws -> [OneTimeTokenRecord] {
                let token = Self.oneTimeToken()
                try await servers[0].insert(token)
                let winners = try await withThrowingTaskGroup(of: OneTimeTokenRecord?.self) { group in
                    for index in 0..<20 {
                        let server = servers[index % servers.count]
                        group.addTask { try await server.consume(tokenHash: token.tokenHash, purpose: token.purpose) }
                    }
                    return try await group.reduce(into: [OneTimeTokenRecord]()) { winners, record in if let record { winners.append(record) } }
                }
                #expect(winners == [token])
                for server in servers { #expect(try await server.consume(tokenHash: token.tokenHash, purpose: token.purpose) == nil) }
                return winners
            }
            _ = try await race([stores.oneTimeTokens])
            _ = try await stores.withSecondServer { second in
                try await race([stores.oneTimeTokens, second.oneTimeTokens])
            }
        }
    }

    @Test("One-time tokens: deleteAll(subject:purpose:) deletes the subject's tokens of that purpose, and nobody else's", arguments: StoreKind.serverSide)
    func oneTimeTokenDeleteAll(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let alicesResets = [Self.oneTimeToken(), Self.oneTimeToken(expiresAt: Self.t0)]
            let kept = [
                Self.oneTimeToken(purpose: .accountActivation), Self.oneTimeToken(purpose: .emailVerification),
                Self.oneTimeToken(subject: "bob"), Self.oneTimeToken(subject: "Alice"),
            ]
            for record in alicesResets + kept { try await stores.oneTimeTokens.insert(record) }
            #expect(try await stores.oneTimeTokens.deleteAll(subject: "alice", purpose: .passwordReset) == 2)
            #expect(try await stores.oneTimeTokens.deleteAll(subject: "alice", purpose: .passwordReset) == 0)
            #expect(try await stores.oneTimeTokens.deleteAll(subject: "carol", purpose: .passwordReset) == 0)
            #expect(try await stores.oneTimeTokens.deleteAll(subject: "alice' OR '1'='1", purpose: .accountActivation) == 0)
            for record in alicesResets {
                #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == nil)
            }
            for record in kept {
                #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == record)
            }
        }
    }

    @Test("One-time tokens: deleteExpired removes at most `limit` tokens expired at or before now", arguments: StoreKind.serverSide)
    func oneTimeTokenDeleteExpired(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let now = Self.t0.addingTimeInterval(100)
            let expired = [
                Self.oneTimeToken(expiresAt: Self.t0), Self.oneTimeToken(purpose: .accountActivation, expiresAt: Self.t0.addingTimeInterval(1)),
                Self.oneTimeToken(subject: "bob", expiresAt: now),
            ]
            let live = [Self.oneTimeToken(expiresAt: now.addingTimeInterval(0.25)), Self.oneTimeToken(purpose: .emailVerification, expiresAt: now.addingTimeInterval(1))]
            for record in expired + live { try await stores.oneTimeTokens.insert(record) }
            #expect(try await stores.oneTimeTokens.deleteExpired(asOf: now, limit: 0) == 0)
            #expect(try await stores.oneTimeTokens.deleteExpired(asOf: now, limit: -1) == 0)
            #expect(try await stores.oneTimeTokens.deleteExpired(asOf: now, limit: 2) == 2)
            #expect(try await stores.oneTimeTokens.deleteExpired(asOf: now, limit: 2) == 1)
            #expect(try await stores.oneTimeTokens.deleteExpired(asOf: now, limit: 2) == 0)
            for record in expired { #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == nil) }
            for record in live { #expect(try await stores.oneTimeTokens.consume(tokenHash: record.tokenHash, purpose: record.purpose) == record) }
        }
    }

    @Test("test_ASVS_6_4_1: the stored one-time token row holds the 32-byte SHA-256 of the token, never the token", arguments: [StoreKind.sqlite, .postgres])
    func test_ASVS_6_4_1_oneTimeTokenRowHoldsOnlyTheHash(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let drawn = Mutex<[UInt8]>([])
            let random = RandomSource { count in
                let bytes = SecureRandom.bytes(count)
                drawn.withLock { $0 += bytes }
                return bytes
            }
            let tokens = OneTimeTokens(store: stores.oneTimeTokens, clock: ManualWallClock(Self.t0), random: random)
            let issued = try await tokens.issue(for: "alice", purpose: .passwordReset)
            let secret = drawn.withLock { $0 }
            #expect(secret.count == 32)
            let rows = try #require(try await stores.rawRows(of: "tessera_one_time_tokens"))
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(Set(row.keys) == ["token_hash", "purpose", "subject", "issued_at", "expires_at"])
            #expect(row["token_hash"] == .some(Array(SHA256.hash(data: Array(issued.token.utf8)))))
            #expect(row["token_hash"]??.count == 32)
            #expect(row["purpose"] == .some(Array("password_reset".utf8)))
            #expect(row["subject"] == .some(Array("alice".utf8)))
            // Neither the token nor its random bits appear in any column, raw or spelled out.
            let body = String(issued.token.dropFirst(OneTimeTokens.prefix.count))
            let spellings: [[UInt8]] = [
                Array(issued.token.utf8), Array(body.utf8), Array(body.prefix(16).utf8), secret, Array(Hex.encode(secret).utf8),
                Array(Base64.urlSafeEncode(secret).utf8), Array(Base64.standardEncode(secret).utf8),
            ]
            for (column, value) in row {
                guard let value else { continue }
                for spelling in spellings { #expect(!Self.contains(value, spelling), "column \(column) holds the token") }
            }
        }
    }
}
