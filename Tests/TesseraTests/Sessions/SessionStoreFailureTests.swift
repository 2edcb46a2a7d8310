import Foundation
import Logging
import Testing
@testable import Tessera
import TesseraPostgres
import TesseraSQLite

/// A store that is down means an error (503), never "signed out".
@Suite("Session stores fail closed")
struct SessionStoreFailureTests {
    @Test("A store that throws makes load and save throw storeUnavailable, never an anonymous session")
    func failingStoreFailsClosed() async throws {
        let manager = SessionManager(store: UnreachableStore(), clock: ManualWallClock())
        let cookie = "__Host-tessera-session=\(SessionID().cookieValue)"
        await #expect(throws: SessionError.storeUnavailable(.unavailable("connection refused"))) {
            _ = try await manager.load(from: RequestCookies(header: cookie))
        }
        var fresh = try await manager.load(from: RequestCookies(header: ""))  // no cookie: no lookup
        try fresh.set(.note, "x")
        await #expect(throws: SessionError.storeUnavailable(.unavailable("connection refused"))) {
            _ = try await manager.save(&fresh)
        }
    }

    @Test("A closed SQLite database raises a typed error")
    func closedSQLiteIsUnavailable() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-closed-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let storage = try await SQLiteStorage.open(path: path)
        let manager = SessionManager(store: storage.sessions, clock: ManualWallClock())
        let browser = Browser()
        try await browser.request(manager) { try $0.set(.note, "x") }
        await storage.close()
        do {
            _ = try await manager.load(from: RequestCookies(header: browser.cookieHeader))
            Issue.record("a closed database answered")
        } catch let error {
            guard case .storeUnavailable(.unavailable(let reason)) = error else {
                Issue.record("expected storeUnavailable, got \(error)")
                return
            }
            #expect(!reason.contains(browser.sessionCookie!), "the message never repeats the session ID")
        }
    }

    @Test("The SQLite file is created with mode 0600 and in WAL mode")
    func sqliteFileIsPrivate() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-mode-\(UUID().uuidString).db").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let storage = try await SQLiteStorage.open(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        _ = try await storage.sessions.deleteAllRecords()
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        await storage.close()
        // Reopening applies no migration twice.
        let reopened = try await SQLiteStorage.open(path: path)
        await reopened.close()
    }

    @Test("An unreachable PostgreSQL raises a typed error, not an anonymous session")
    func unreachablePostgresIsUnavailable() async throws {
        // Port 9 (discard) has no PostgreSQL behind it.
        var quiet = Logger(label: "tessera.test.postgres")
        quiet.logLevel = .critical
        let storage = try PostgresStorage(
            url: "postgres://nobody:secret-password@127.0.0.1:9/none?sslmode=disable", operationTimeout: .seconds(2), logger: quiet
        )
        let manager = SessionManager(store: storage.sessions, clock: ManualWallClock())
        let runner = Task { try await storage.run() }
        defer { runner.cancel() }
        // No wall-clock bound here: other suites can saturate the
        // cooperative pool, and timing belongs to the benchmarks. What users
        // rely on is the typed error instead of an anonymous session.
        let outcome = await Self.loadResult(manager)
        guard case .failure(.storeUnavailable(.unavailable(let reason))) = outcome else {
            Issue.record("expected storeUnavailable, got \(outcome)")
            return
        }
        #expect(!reason.contains("secret-password"))
    }

    private static func loadResult(_ manager: SessionManager) async -> Result<Session, SessionError> {
        do {
            return .success(try await manager.load(from: RequestCookies(header: "__Host-tessera-session=\(SessionID().cookieValue)")))
        } catch {
            return .failure(error)
        }
    }

    @Test("A PostgreSQL URL error never repeats the password")
    func postgresURLErrorsHideThePassword() {
        #expect(throws: StoreError.self) { try PostgresStorage.configuration(url: "mysql://u:hunter2@h/db") }
        do {
            _ = try PostgresStorage.configuration(url: "postgres://u:hunter2@h/db?sslmode=bogus")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test("A PostgreSQL URL's pool is fixed (no per-query pool timers), sized by pool_size, and a bad size is refused by name")
    func postgresURLPoolSize() throws {
        let standard = try PostgresStorage.configuration(url: "postgres://u:p@h/db")
        #expect(standard.options.minimumConnections == PostgresStorage.defaultPoolSize)
        #expect(standard.options.maximumConnections == PostgresStorage.defaultPoolSize)
        #expect(standard.options.keepAliveBehavior == nil)
        let sized = try PostgresStorage.configuration(url: "postgres://u:p@h/db?sslmode=disable&pool_size=3")
        #expect(sized.options.minimumConnections == 3 && sized.options.maximumConnections == 3)
        // The caller's size wins over the URL's.
        let overridden = try PostgresStorage.configuration(url: "postgres://u:p@h/db?pool_size=3", poolSize: 5)
        #expect(overridden.options.maximumConnections == 5)
        // ... but a bad one in the URL is still refused.
        #expect(throws: StoreError.self) { try PostgresStorage.configuration(url: "postgres://u:p@h/db?pool_size=0", poolSize: 5) }
        #expect(throws: StoreError.self) { try PostgresStorage.configuration(url: "postgres://u:p@h/db", poolSize: 0) }
        for bad in ["0", "101", "-1", "ten", ""] {
            do {
                _ = try PostgresStorage.configuration(url: "postgres://u:hunter2@h/db?pool_size=\(bad)")
                Issue.record("pool_size=\(bad) was accepted")
            } catch {
                #expect("\(error)".contains("pool_size"))
                #expect(!"\(error)".contains("hunter2"))
            }
        }
    }

    @Test("A full memory store refuses new sessions after clearing expired ones")
    func memoryStoreCapacity() async throws {
        let store = MemorySessionStore(capacity: 3)
        let clock = ManualWallClock()
        let manager = SessionManager(store: store, configuration: SessionConfiguration(idleTimeout: 60), clock: clock)
        for _ in 0..<3 { try await Browser().request(manager) { try $0.set(.note, "x") } }
        await #expect(throws: SessionError.storeUnavailable(.capacityExceeded(limit: 3))) {
            try await Browser().request(manager) { try $0.set(.note, "x") }
        }
        clock.advance(by: 61)
        try await Browser().request(manager) { try $0.set(.note, "room again") }
        #expect(store.count == 1)
    }

    @Test("A sealed session whose revocation epochs can't be read fails closed")
    func sealedWithFailingEpochsFailsClosed() async throws {
        let clock = ManualWallClock()
        let working = SessionManager(sealingWith: TestKeys.ring("k"), revocation: RevocationEpochs(store: MemoryRevocationEpochStore()), clock: clock)
        let browser = Browser()
        try await browser.request(working) { try await working.logIn(&$0, userID: "yuri", method: "password") }
        let broken = SessionManager(sealingWith: TestKeys.ring("k"), revocation: RevocationEpochs(store: UnreachableStore()), clock: clock)
        await #expect(throws: SessionError.storeUnavailable(.unavailable("connection refused"))) {
            _ = try await broken.load(from: RequestCookies(header: browser.cookieHeader))
        }
    }
}

/// A backend that is down.
struct UnreachableStore: SessionStore, RevocationEpochStore {
    static let failure = StoreError.unavailable("connection refused")
    func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord? { throw Self.failure }
    func insert(_ record: SessionRecord) async throws(StoreError) { throw Self.failure }
    func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool { throw Self.failure }
    func delete(_ key: SessionLookupKey) async throws(StoreError) { throw Self.failure }
    func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord] { throw Self.failure }
    func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int { throw Self.failure }
    func deleteAllRecords() async throws(StoreError) -> Int { throw Self.failure }
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int { throw Self.failure }
    func epoch(of subject: String) async throws(StoreError) -> Int64 { throw Self.failure }
    func advanceEpoch(of subject: String) async throws(StoreError) -> Int64 { throw Self.failure }
}
