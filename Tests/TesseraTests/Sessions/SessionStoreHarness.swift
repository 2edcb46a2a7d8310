import Foundation
import Logging
import PostgresNIO
import Testing
@testable import Tessera
import TesseraPostgres
import TesseraSQLite

/// The storage kinds every session conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres, sealedCookie

    static let serverSide: [StoreKind] = [.memory, .sqlite, .postgres]

    var testDescription: String { rawValue }
    var isServerSide: Bool { self != .sealedCookie }
}

/// One freshly created, empty store of a kind, with what a test needs to
/// build managers over it.
struct StoreUnderTest: Sendable {
    let kind: StoreKind
    /// `nil` for sealed-cookie sessions, which keep no server records.
    let store: (any SessionStore)?
    let epochs: any RevocationEpochStore
    let ring: KeyRing

    func manager(
        _ configuration: SessionConfiguration = SessionConfiguration(),
        clock: any WallClock,
        random: RandomSource = .system,
        revocationLag: TimeInterval = 0
    ) -> SessionManager {
        if let store {
            return SessionManager(store: store, configuration: configuration, clock: clock, random: random)
        }
        return SessionManager(
            sealingWith: ring,
            revocation: RevocationEpochs(store: epochs, maximumLag: revocationLag),
            configuration: configuration, clock: clock, random: random
        )
    }

    /// The stored record of a session cookie value, for server-side kinds.
    func stored(_ cookieValue: String?) async throws -> SessionRecord? {
        guard let store, let cookieValue, let id = SessionID(cookieValue: cookieValue) else { return nil }
        return try await store.load(id.lookupKey)
    }
}

/// Runs `body` against a new, empty store of `kind`, and tears it down.
func withStore<Result: Sendable>(_ kind: StoreKind, _ body: (StoreUnderTest) async throws -> Result) async throws -> Result {
    let ring = TestKeys.ring("sessions-k1")
    switch kind {
    case .memory:
        return try await body(StoreUnderTest(kind: kind, store: MemorySessionStore(), epochs: MemoryRevocationEpochStore(), ring: ring))
    case .sealedCookie:
        return try await body(StoreUnderTest(kind: kind, store: nil, epochs: MemoryRevocationEpochStore(), ring: ring))
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try await SQLiteStorage.open(path: directory.appendingPathComponent("tessera.db").path)
        do {
            let result = try await body(StoreUnderTest(kind: kind, store: storage.sessions, epochs: storage.revocationEpochs, ring: ring))
            await storage.close()
            return result
        } catch {
            await storage.close()
            throw error
        }
    case .postgres:
        return try await withPostgresSchema { storage in
            try await body(StoreUnderTest(kind: kind, store: storage.sessions, epochs: storage.revocationEpochs, ring: ring))
        }
    }
}

/// The test PostgreSQL server: `TESSERA_POSTGRES_URL`, which
/// `scripts/test.sh` sets after starting a throwaway server.
enum TestPostgres {
    static var url: String? { ProcessInfo.processInfo.environment["TESSERA_POSTGRES_URL"] }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "TESSERA_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL, or point it at a server you own"
        }
    }
}

/// Runs `body` with storage migrated into a schema of its own, so tests
/// can run in parallel (and call `revokeEveryone`) without seeing each
/// other's rows; drops the schema afterwards.
func withPostgresSchema<Result: Sendable>(
    operationTimeout: Duration = .seconds(20),
    _ body: (PostgresStorage) async throws -> Result
) async throws -> Result {
    guard let url = TestPostgres.url else { throw TestPostgres.Missing() }
    let schema = "tessera_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
    var quiet = Logger(label: "tessera.test.postgres")
    quiet.logLevel = .error
    let admin = try PostgresStorage(url: url, poolSize: 2, operationTimeout: operationTimeout, logger: quiet)
    // A small fixed pool: many tests run at once, each opening its pool at start
    // (with-postgres.sh allows 250 connections in all).
    var configuration = try PostgresStorage.configuration(url: url, poolSize: 4, connectTimeout: operationTimeout)
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    let storage = PostgresStorage(configuration: configuration, operationTimeout: operationTimeout, logger: quiet)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await admin.client.run() }
        group.addTask { try await storage.run() }
        defer { group.cancelAll() }
        try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
        do {
            try await storage.migrate()
            let result = try await body(storage)
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            return result
        } catch {
            _ = try? await admin.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            throw error
        }
    }
}

/// A browser: keeps the cookies a server sets and sends them back.
final class Browser: @unchecked Sendable {
    private(set) var jar: [String: String] = [:]
    /// The `Set-Cookie` headers of the last response.
    private(set) var lastSetCookies: [SetCookie] = []

    init(jar: [String: String] = [:]) { self.jar = jar }

    var cookieHeader: String { jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    var sessionCookie: String? { jar[SessionConfiguration.Cookie().name] }

    /// One request: load, let `handler` change the session, save, keep the cookies.
    @discardableResult
    func request<Result>(
        _ manager: SessionManager,
        client: SessionClient = SessionClient(),
        _ handler: (inout Session) async throws -> Result = { _ in () }
    ) async throws -> (session: Session, result: Result) {
        var session = try await manager.load(from: RequestCookies(header: cookieHeader), client: client)
        let result = try await handler(&session)
        let setCookies = try await manager.save(&session)
        receive(setCookies)
        return (session, result)
    }

    func receive(_ setCookies: [SetCookie]) {
        lastSetCookies = setCookies
        for cookie in setCookies {
            if cookie.maxAge == 0 || cookie.value.isEmpty { jar[cookie.name] = nil } else { jar[cookie.name] = cookie.value }
        }
    }

    func copy() -> Browser { Browser(jar: jar) }
}

extension SessionKey where Value == String {
    static let note = SessionKey("note")
}
