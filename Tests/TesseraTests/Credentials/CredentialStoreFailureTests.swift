import Crypto
import Foundation
import Logging
import PostgresNIO
import SQLiteNIO
import Testing
@testable import Tessera
@testable import TesseraPostgres
@testable import TesseraSQLite

/// Credential stores that are down or damaged fail with a typed error
/// (503), never a silent "not found", and their schema upgrades in place.
@Suite("Credential stores fail closed and upgrade in place")
struct CredentialStoreFailureTests {
    static let t0 = CredentialStoreConformanceTests.t0

    /// One call of every method of every credential store, each reporting
    /// how it ended. `secrets` collects what no error message may repeat.
    static func everyCall(_ stores: CredentialStoresUnderTest) -> (calls: [(String, @Sendable () async throws(StoreError) -> Void)], secrets: [String]) {
        let (key, secret) = CredentialStoreConformanceTests.apiKey(owner: "owner-\(UUID().uuidString)")
        let token = CredentialStoreConformanceTests.refreshToken(family: "family-\(UUID().uuidString)", user: "user-\(UUID().uuidString)")
        let throttleKey = ThrottleKey(.account, "account-\(UUID().uuidString)")
        let jti = "jti-\(UUID().uuidString)"
        let oneTime = CredentialStoreConformanceTests.oneTimeToken(subject: "subject-\(UUID().uuidString)")
        let (apiKeys, throttle, refreshTokens, denyList) = (stores.apiKeys, stores.throttle, stores.refreshTokens, stores.denyList)
        let oneTimeTokens = stores.oneTimeTokens
        let users = stores.users
        let user = CredentialStoreConformanceTests.user("user-\(UUID().uuidString.prefix(8))", hash: "$scrypt$secret-\(UUID().uuidString)")
        let t0 = Self.t0
        let calls: [(String, @Sendable () async throws(StoreError) -> Void)] = [
            ("apiKeys.insert", { () async throws(StoreError) in try await apiKeys.insert(key) }),
            ("apiKeys.record", { () async throws(StoreError) in _ = try await apiKeys.record(id: key.id) }),
            ("apiKeys.records", { () async throws(StoreError) in _ = try await apiKeys.records(ofOwner: key.owner) }),
            ("apiKeys.revoke", { () async throws(StoreError) in _ = try await apiKeys.revoke(id: key.id, ofOwner: key.owner, at: t0) }),
            ("apiKeys.revokeAll", { () async throws(StoreError) in _ = try await apiKeys.revokeAll(ofOwner: key.owner, at: t0) }),
            ("apiKeys.recordUse", { () async throws(StoreError) in try await apiKeys.recordUse(id: key.id, at: t0) }),
            ("apiKeys.deleteInactive", { () async throws(StoreError) in _ = try await apiKeys.deleteInactive(before: t0, limit: 10) }),
            ("throttle.counters", { () async throws(StoreError) in _ = try await throttle.counters(for: [throttleKey], notBefore: t0) }),
            ("throttle.recordFailure", { () async throws(StoreError) in _ = try await throttle.recordFailure(for: [throttleKey], at: t0, notBefore: t0) }),
            ("throttle.reset", { () async throws(StoreError) in try await throttle.reset([throttleKey]) }),
            ("throttle.deleteExpired", { () async throws(StoreError) in _ = try await throttle.deleteExpired(before: t0, limit: 10) }),
            ("refreshTokens.insert", { () async throws(StoreError) in try await refreshTokens.insert(token) }),
            ("refreshTokens.record", { () async throws(StoreError) in _ = try await refreshTokens.record(tokenHash: token.tokenHash) }),
            ("refreshTokens.markRotated", { () async throws(StoreError) in _ = try await refreshTokens.markRotated(tokenHash: token.tokenHash, at: t0) }),
            ("refreshTokens.deleteFamily", { () async throws(StoreError) in _ = try await refreshTokens.deleteFamily(token.familyID) }),
            ("refreshTokens.deleteFamilies", { () async throws(StoreError) in _ = try await refreshTokens.deleteFamilies(ofUser: token.userID) }),
            ("refreshTokens.deleteExpired", { () async throws(StoreError) in _ = try await refreshTokens.deleteExpired(asOf: t0, limit: 10) }),
            ("tokenDenyList.deny", { () async throws(StoreError) in try await denyList.deny(jti, until: t0) }),
            ("tokenDenyList.isDenied", { () async throws(StoreError) in _ = try await denyList.isDenied(jti, at: t0) }),
            ("tokenDenyList.deleteExpired", { () async throws(StoreError) in _ = try await denyList.deleteExpired(asOf: t0, limit: 10) }),
            ("oneTimeTokens.insert", { () async throws(StoreError) in try await oneTimeTokens.insert(oneTime) }),
            ("oneTimeTokens.consume", { () async throws(StoreError) in _ = try await oneTimeTokens.consume(tokenHash: oneTime.tokenHash, purpose: oneTime.purpose) }),
            ("oneTimeTokens.deleteAll", { () async throws(StoreError) in _ = try await oneTimeTokens.deleteAll(subject: oneTime.subject, purpose: oneTime.purpose) }),
            ("oneTimeTokens.deleteExpired", { () async throws(StoreError) in _ = try await oneTimeTokens.deleteExpired(asOf: t0, limit: 10) }),
            ("users.insert", { () async throws(StoreError) in try await users.insert(user) }),
            ("users.insertFirst", { () async throws(StoreError) in _ = try await users.insertFirst(user) }),
            ("users.userNamed", { () async throws(StoreError) in _ = try await users.user(named: user.username) }),
            ("users.userID", { () async throws(StoreError) in _ = try await users.user(id: user.id) }),
            ("users.users", { () async throws(StoreError) in _ = try await users.users() }),
            ("users.setPasswordHash", { () async throws(StoreError) in _ = try await users.setPasswordHash(ofUser: user.id, to: user.passwordHash!) }),
            ("users.setDisabled", { () async throws(StoreError) in _ = try await users.setDisabled(ofUser: user.id, true) }),
        ]
        let secrets = [
            key.id, key.owner, Hex.encode(secret), Hex.encode(key.secretHash), Hex.encode(token.tokenHash), token.familyID,
            token.userID, Hex.encode(throttleKey.bytes), "account-", jti, Hex.encode(oneTime.tokenHash), oneTime.subject,
            user.id, user.passwordHash!,
        ]
        return (calls, secrets)
    }

    /// Runs every call concurrently; returns each call's name and outcome.
    static func outcomes(_ calls: [(String, @Sendable () async throws(StoreError) -> Void)]) async -> [(String, StoreError?)] {
        await withTaskGroup(of: (String, StoreError?).self) { group in
            for (name, call) in calls {
                group.addTask {
                    do throws(StoreError) {
                        try await call()
                        return (name, nil)
                    } catch {
                        return (name, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    // No wall-clock assertion: other suites can starve the cooperative pool for
    // a minute. The 2 s operation deadline is what ends each call; the time
    // limit only catches a call that never ends.
    @Test("test_ASVS_16_5_3: every method of every PostgreSQL credential store fails as unavailable when the server is unreachable",
          .timeLimit(.minutes(5)))
    func test_ASVS_16_5_3_unreachablePostgresCredentialStoresAreUnavailable() async throws {
        // Port 9 (discard) has no PostgreSQL behind it.
        var quiet = Logger(label: "tessera.test.postgres")
        quiet.logLevel = .critical
        let storage = try PostgresStorage(
            url: "postgres://nobody:secret-password@127.0.0.1:9/none?sslmode=disable", operationTimeout: .seconds(2), logger: quiet
        )
        let runner = Task { try await storage.run() }
        defer { runner.cancel() }
        let (calls, secrets) = Self.everyCall(CredentialStoresUnderTest(postgres: storage, schema: "none"))
        let outcomes = await Self.outcomes(calls)
        #expect(outcomes.count == calls.count)
        for (name, outcome) in outcomes {
            guard case .unavailable(let reason)? = outcome else {
                Issue.record("\(name): expected unavailable, got \(String(describing: outcome))")
                continue
            }
            for secret in secrets + ["secret-password"] {
                #expect(!reason.contains(secret), "\(name) repeats a value in its message")
            }
        }
    }

    @Test("Every method of every SQLite credential store fails as unavailable once the database is closed")
    func closedSQLiteCredentialStoresAreUnavailable() async throws {
        try await withTemporarySQLiteFile { path in
            let storage = try await SQLiteStorage.open(path: path)
            await storage.close()
            let (calls, secrets) = Self.everyCall(CredentialStoresUnderTest(sqlite: storage, path: path))
            for (name, outcome) in await Self.outcomes(calls) {
                guard case .unavailable(let reason)? = outcome else {
                    Issue.record("\(name): expected unavailable, got \(String(describing: outcome))")
                    continue
                }
                for secret in secrets { #expect(!reason.contains(secret), "\(name) repeats a value in its message") }
            }
        }
    }

    @Test("test_ASVS_6_4_1: over a closed store, issuing throws unavailable and redeeming answers unavailable, never redeemed")
    func test_ASVS_6_4_1_closedStoreFailsClosedForOneTimeTokens() async throws {
        try await withTemporarySQLiteFile { path in
            let storage = try await SQLiteStorage.open(path: path)
            let tokens = OneTimeTokens(store: storage.oneTimeTokens)
            let issued = try await tokens.issue(for: "alice", purpose: .passwordReset)
            await storage.close()
            guard case .unavailable(.unavailable) = await tokens.redeem(issued.token, purpose: .passwordReset) else {
                Issue.record("a closed store must answer unavailable")
                return
            }
            await #expect(throws: StoreError.self) { _ = try await tokens.issue(for: "alice", purpose: .passwordReset) }
            // The token was never used up: once the store is back, it still works once.
            let reopened = try await SQLiteStorage.open(path: path)
            let again = OneTimeTokens(store: reopened.oneTimeTokens)
            #expect(await again.redeem(issued.token, purpose: .passwordReset) == .redeemed(subject: "alice"))
            #expect(await again.redeem(issued.token, purpose: .passwordReset) == .rejected(.unknown))
            await reopened.close()
        }
    }

    @Test("A damaged row reads as corruptRecord, never a trap or a default, and the message names no value", arguments: [StoreKind.sqlite, .postgres])
    func damagedRowsAreCorruptRecords(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = CredentialStoreConformanceTests.apiKey(owner: "alice-owner").record
            let other = CredentialStoreConformanceTests.apiKey(owner: "bob-owner").record
            let token = CredentialStoreConformanceTests.refreshToken(family: "family-xyz", user: "user-xyz")
            let throttleKey = ThrottleKey(.account, "carol")
            let oneTime = CredentialStoreConformanceTests.oneTimeToken(subject: "subject-xyz")
            try await stores.oneTimeTokens.insert(oneTime)
            try await stores.apiKeys.insert(key)
            try await stores.apiKeys.insert(other)
            try await stores.refreshTokens.insert(token)
            _ = try await stores.throttle.recordFailure(for: [throttleKey], at: Self.t0, notBefore: Self.t0)
            switch kind {
            case .sqlite:
                try await stores.execute("UPDATE tessera_api_keys SET scopes = '{\"read\":true}' WHERE owner = 'alice-owner'")
                try await stores.execute("UPDATE tessera_api_keys SET created_at = 'yesterday' WHERE owner = 'bob-owner'")
                // A REAL too big for an integer: sqlite-nio's own accessor would trap on it.
                try await stores.execute("UPDATE tessera_refresh_tokens SET generation = 1e300")
                try await stores.execute("UPDATE tessera_login_throttle SET failures = 'many'")
                try await stores.execute("UPDATE tessera_one_time_tokens SET expires_at = 'soon'")
            default:
                try await stores.execute("ALTER TABLE tessera_api_keys ALTER COLUMN created_at TYPE text USING 'yesterday'")
                try await stores.execute("ALTER TABLE tessera_refresh_tokens ALTER COLUMN generation TYPE text USING 'many'")
                try await stores.execute("ALTER TABLE tessera_login_throttle ALTER COLUMN failures TYPE text USING 'many'")
                try await stores.execute("ALTER TABLE tessera_one_time_tokens ALTER COLUMN expires_at TYPE text USING 'soon'")
            }
            let secrets = [key.id, other.id, "alice-owner", "bob-owner", Hex.encode(key.secretHash), Hex.encode(token.tokenHash), "family-xyz", "user-xyz", Hex.encode(throttleKey.bytes),
                           Hex.encode(oneTime.tokenHash), "subject-xyz"]
            func expectCorrupt(_ what: String, _ body: () async throws(StoreError) -> Void) async {
                do throws(StoreError) {
                    try await body()
                    Issue.record("\(what): a damaged row was read without an error")
                } catch {
                    guard case .corruptRecord(let reason) = error else {
                        Issue.record("\(what): expected corruptRecord, got \(error)")
                        return
                    }
                    for secret in secrets { #expect(!reason.contains(secret), "\(what) repeats a value in its message") }
                }
            }
            await expectCorrupt("api key") { () async throws(StoreError) in _ = try await stores.apiKeys.record(id: key.id) }
            await expectCorrupt("other api key") { () async throws(StoreError) in _ = try await stores.apiKeys.record(id: other.id) }
            await expectCorrupt("owner's keys") { () async throws(StoreError) in _ = try await stores.apiKeys.records(ofOwner: "bob-owner") }
            await expectCorrupt("refresh token") { () async throws(StoreError) in _ = try await stores.refreshTokens.record(tokenHash: token.tokenHash) }
            await expectCorrupt("throttle counter") { () async throws(StoreError) in _ = try await stores.throttle.counters(for: [throttleKey], notBefore: Self.t0) }
            await expectCorrupt("one-time token") { () async throws(StoreError) in
                _ = try await stores.oneTimeTokens.consume(tokenHash: oneTime.tokenHash, purpose: oneTime.purpose)
            }
        }
    }

    // MARK: Upgrades

    @Test("A SQLite file at schema version 1 (sessions only) is upgraded to the latest version (4, users) in place, its sessions intact")
    func sqliteVersion1FileUpgradesInPlace() async throws {
        try await withTemporarySQLiteFile { path in
            let session = SessionStoreContractTests.record(userID: "alice", data: [1, 2, 3, 0, 255], full: true)
            let old = try await SQLiteStorage.open(path: path, schemaVersion: 1)
            #expect(try await SQLiteSchema.version(old.connection) == 1)
            #expect(try await Self.sqliteTables(old).contains("tessera_api_keys") == false)
            try await old.sessions.insert(session)
            #expect(try await old.revocationEpochs.advanceEpoch(of: "alice") == 1)
            await old.close()

            let upgraded = try await SQLiteStorage.open(path: path)
            #expect(try await SQLiteSchema.version(upgraded.connection) == 4)
            #expect(try await Self.sqliteTables(upgraded).isSuperset(of: [
                "tessera_sessions", "tessera_revocation_epochs", "tessera_api_keys", "tessera_login_throttle",
                "tessera_refresh_tokens", "tessera_token_deny_list", "tessera_one_time_tokens",
            ]))
            #expect(try await upgraded.sessions.load(session.key) == session)
            #expect(try await upgraded.revocationEpochs.epoch(of: "alice") == 1)
            let key = CredentialStoreConformanceTests.apiKey().record
            try await upgraded.apiKeys.insert(key)
            #expect(try await upgraded.apiKeys.record(id: key.id) == key)
            await upgraded.close()

            // Opening again applies nothing twice.
            let reopened = try await SQLiteStorage.open(path: path)
            #expect(try await SQLiteSchema.version(reopened.connection) == 4)
            #expect(try await reopened.sessions.load(session.key) == session)
            #expect(try await reopened.apiKeys.record(id: key.id) == key)
            await reopened.close()
        }
    }

    @Test("Two SQLite connections opening a version-1 file at once upgrade it exactly once")
    func sqliteConcurrentUpgrade() async throws {
        try await withTemporarySQLiteFile { path in
            let old = try await SQLiteStorage.open(path: path, schemaVersion: 1)
            await old.close()
            // Two, not more: every connection of a process shares sqlite-nio's
            // thread pool, and one waiting for the lock holds a thread.
            let storages = try await withThrowingTaskGroup(of: SQLiteStorage.self) { group in
                for _ in 0..<2 { group.addTask { try await SQLiteStorage.open(path: path) } }
                return try await group.reduce(into: [SQLiteStorage]()) { $0.append($1) }
            }
            for storage in storages {
                #expect(try await SQLiteSchema.version(storage.connection) == 4)
                await storage.close()
            }
        }
    }

    @Test("A SQLite file at schema version 2 (no one-time tokens) is upgraded to the latest version (4, users) in place, its credentials intact")
    func sqliteVersion2FileUpgradesInPlace() async throws {
        try await withTemporarySQLiteFile { path in
            let key = CredentialStoreConformanceTests.apiKey().record
            let token = CredentialStoreConformanceTests.refreshToken()
            let old = try await SQLiteStorage.open(path: path, schemaVersion: 2)
            #expect(try await SQLiteSchema.version(old.connection) == 2)
            #expect(try await Self.sqliteTables(old).contains("tessera_one_time_tokens") == false)
            try await old.apiKeys.insert(key)
            try await old.refreshTokens.insert(token)
            await #expect(throws: StoreError.self) { try await old.oneTimeTokens.insert(CredentialStoreConformanceTests.oneTimeToken()) }
            await old.close()

            let upgraded = try await SQLiteStorage.open(path: path)
            #expect(try await SQLiteSchema.version(upgraded.connection) == 4)
            #expect(try await upgraded.apiKeys.record(id: key.id) == key)
            #expect(try await upgraded.refreshTokens.record(tokenHash: token.tokenHash) == token)
            let oneTime = CredentialStoreConformanceTests.oneTimeToken()
            try await upgraded.oneTimeTokens.insert(oneTime)
            #expect(try await upgraded.oneTimeTokens.consume(tokenHash: oneTime.tokenHash, purpose: oneTime.purpose) == oneTime)
            await upgraded.close()
        }
    }

    @Test("A SQLite file from a newer Tessera is refused as unavailable")
    func sqliteNewerSchemaIsRefused() async throws {
        try await withTemporarySQLiteFile { path in
            let storage = try await SQLiteStorage.open(path: path)
            _ = try await storage.connection.query("PRAGMA user_version = 99")
            await storage.close()
            await #expect(throws: StoreError.self) { _ = try await SQLiteStorage.open(path: path) }
        }
    }

    @Test("A PostgreSQL schema at version 1 (sessions only) is upgraded to the latest version (4, users) in place, its sessions intact")
    func postgresVersion1SchemaUpgradesInPlace() async throws {
        try await withEmptyPostgresSchema { schema in
            try await withPostgresStorage(schema: schema) { storage in
                let session = SessionStoreContractTests.record(userID: "alice", data: [1, 2, 3, 0, 255], full: true)
                try await storage.migrate(upTo: 1)
                #expect(try await Self.postgresVersion(storage) == 1)
                try await storage.sessions.insert(session)
                await #expect(throws: StoreError.self) { try await storage.apiKeys.insert(CredentialStoreConformanceTests.apiKey().record) }

                try await storage.migrate()
                #expect(try await Self.postgresVersion(storage) == 4)
                #expect(try await storage.sessions.load(session.key) == session)
                let key = CredentialStoreConformanceTests.apiKey().record
                try await storage.apiKeys.insert(key)
                #expect(try await storage.apiKeys.record(id: key.id) == key)
                try await storage.migrate()  // nothing twice
                #expect(try await Self.postgresVersion(storage) == 4)
            }
        }
    }

    @Test("A PostgreSQL schema at version 2 (no one-time tokens) is upgraded to the latest version (4, users) in place, its credentials intact")
    func postgresVersion2SchemaUpgradesInPlace() async throws {
        try await withEmptyPostgresSchema { schema in
            try await withPostgresStorage(schema: schema) { storage in
                let key = CredentialStoreConformanceTests.apiKey().record
                let token = CredentialStoreConformanceTests.refreshToken()
                try await storage.migrate(upTo: 2)
                #expect(try await Self.postgresVersion(storage) == 2)
                try await storage.apiKeys.insert(key)
                try await storage.refreshTokens.insert(token)
                await #expect(throws: StoreError.self) { try await storage.oneTimeTokens.insert(CredentialStoreConformanceTests.oneTimeToken()) }

                try await storage.migrate()
                #expect(try await Self.postgresVersion(storage) == 4)
                #expect(try await storage.apiKeys.record(id: key.id) == key)
                #expect(try await storage.refreshTokens.record(tokenHash: token.tokenHash) == token)
                let oneTime = CredentialStoreConformanceTests.oneTimeToken()
                try await storage.oneTimeTokens.insert(oneTime)
                #expect(try await storage.oneTimeTokens.consume(tokenHash: oneTime.tokenHash, purpose: oneTime.purpose) == oneTime)
            }
        }
    }

    static func sqliteTables(_ storage: SQLiteStorage) async throws -> Set<String> {
        let rows = try await storage.connection.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        return Set(rows.compactMap { $0.column("name")?.string })
    }

    static func postgresVersion(_ storage: PostgresStorage) async throws -> Int {
        var version = 0
        for try await applied in try await storage.client.query("SELECT max(version) FROM tessera_schema_migrations").decode(Int.self) {
            version = applied
        }
        return version
    }

    /// Runs `body` with the name of a new, empty schema on the test server; drops it afterwards.
    func withEmptyPostgresSchema(_ body: (String) async throws -> Void) async throws {
        guard let url = TestPostgres.url else { throw TestPostgres.Missing() }
        var quiet = Logger(label: "tessera.test.postgres")
        quiet.logLevel = .error
        let admin = try PostgresStorage(url: url, poolSize: 2, logger: quiet)
        let schema = "tessera_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.client.run() }
            defer { group.cancelAll() }
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
            do {
                try await body(schema)
                try await admin.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            } catch {
                _ = try? await admin.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
                throw error
            }
        }
    }
}
