import Foundation
import Logging
import PostgresNIO
import SQLiteNIO
import Testing
@testable import Tessera
@testable import TesseraPostgres
@testable import TesseraSQLite

/// The credential stores of one backend, fresh and empty, with what
/// a test needs to look behind them: the raw rows, and a second "app
/// server" over the same data.
struct CredentialStoresUnderTest: Sendable {
    /// Where the stores keep their data.
    enum Backend: Sendable {
        case memory
        case sqlite(SQLiteStorage, path: String)
        case postgres(PostgresStorage, schema: String)
    }

    let kind: StoreKind
    let backend: Backend
    let apiKeys: any APIKeyStore
    let throttle: any LoginThrottleStore
    let refreshTokens: any RefreshTokenStore
    let denyList: any TokenDenyList
    let oneTimeTokens: any OneTimeTokenStore
    let users: any UserStore

    init(memory kind: StoreKind) {
        self.kind = kind
        backend = .memory
        apiKeys = MemoryAPIKeyStore()
        throttle = MemoryLoginThrottleStore()
        refreshTokens = MemoryRefreshTokenStore()
        denyList = MemoryTokenDenyList()
        oneTimeTokens = MemoryOneTimeTokenStore()
        users = MemoryUserStore()
    }

    init(sqlite storage: SQLiteStorage, path: String) {
        kind = .sqlite
        backend = .sqlite(storage, path: path)
        apiKeys = storage.apiKeys
        throttle = storage.loginThrottle
        refreshTokens = storage.refreshTokens
        denyList = storage.tokenDenyList
        oneTimeTokens = storage.oneTimeTokens
        users = storage.users
    }

    init(postgres storage: PostgresStorage, schema: String) {
        kind = .postgres
        backend = .postgres(storage, schema: schema)
        apiKeys = storage.apiKeys
        throttle = storage.loginThrottle
        refreshTokens = storage.refreshTokens
        denyList = storage.tokenDenyList
        oneTimeTokens = storage.oneTimeTokens
        users = storage.users
    }

    /// Every row of `table` as its database holds it: column name → the
    /// stored bytes (`nil` for NULL). PostgreSQL cells come in its binary
    /// wire format, where `bytea` and `text` are the bytes themselves.
    /// `nil` for memory stores, which have no rows.
    func rawRows(of table: String) async throws -> [[String: [UInt8]?]]? {
        switch backend {
        case .memory:
            return nil
        case .sqlite(let storage, _):
            return try await storage.connection.query("SELECT * FROM \(table)").map { row in
                Dictionary(uniqueKeysWithValues: row.columns.map { column in
                    let bytes: [UInt8]? = switch column.data {
                    case .blob(let buffer): Array(buffer.readableBytesView)
                    case .text(let text): Array(text.utf8)
                    case .integer(let value): Array(String(value).utf8)
                    case .float(let value): Array(String(value).utf8)
                    case .null: nil
                    }
                    return (column.name, bytes)
                })
            }
        case .postgres(let storage, _):
            var rows: [[String: [UInt8]?]] = []
            for try await row in try await storage.client.query(PostgresQuery(unsafeSQL: "SELECT * FROM \(table)")) {
                rows.append(Dictionary(uniqueKeysWithValues: row.map { cell in
                    (cell.columnName, cell.bytes.map { Array($0.readableBytesView) })
                }))
            }
            return rows
        }
    }

    /// Runs one SQL statement straight on the database, for tests that
    /// damage or inspect rows behind the store's back.
    func execute(_ sql: String) async throws {
        switch backend {
        case .memory:
            Issue.record("memory stores have no SQL")
        case .sqlite(let storage, _):
            _ = try await storage.connection.query(sql)
        case .postgres(let storage, _):
            try await storage.client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Runs `body` with a second, independent set of stores over the same
    /// data: another SQLite connection to the file, or another PostgreSQL
    /// client (its own pool) on the same schema. How a test sees what a
    /// second app server would see. `nil` for memory stores.
    func withSecondServer<Result: Sendable>(_ body: (CredentialStoresUnderTest) async throws -> Result) async throws -> Result? {
        switch backend {
        case .memory:
            return nil
        case .sqlite(_, let path):
            let second = try await SQLiteStorage.open(path: path)
            do {
                let result = try await body(CredentialStoresUnderTest(sqlite: second, path: path))
                await second.close()
                return result
            } catch {
                await second.close()
                throw error
            }
        case .postgres(_, let schema):
            return try await withPostgresStorage(schema: schema) { second in
                try await body(CredentialStoresUnderTest(postgres: second, schema: schema))
            }
        }
    }
}

/// Runs `body` against new, empty credential stores of `kind` (memory, a
/// temporary SQLite file, or a PostgreSQL schema of its own), and tears them down.
func withCredentialStores<Result: Sendable>(_ kind: StoreKind, _ body: (CredentialStoresUnderTest) async throws -> Result) async throws -> Result {
    switch kind {
    case .memory, .sealedCookie:
        return try await body(CredentialStoresUnderTest(memory: kind))
    case .sqlite:
        return try await withTemporarySQLiteFile { path in
            let storage = try await SQLiteStorage.open(path: path)
            do {
                let result = try await body(CredentialStoresUnderTest(sqlite: storage, path: path))
                await storage.close()
                return result
            } catch {
                await storage.close()
                throw error
            }
        }
    case .postgres:
        return try await withPostgresSchema { storage in
            var schema = ""
            for try await name in try await storage.client.query("SELECT current_schema()").decode(String.self) { schema = name }
            return try await body(CredentialStoresUnderTest(postgres: storage, schema: schema))
        }
    }
}

/// Runs `body` with the path of a database file in a new temporary
/// directory, removed afterwards.
func withTemporarySQLiteFile<Result: Sendable>(_ body: (String) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.appendingPathComponent("tessera.db").path)
}

/// Runs `body` with a running storage over the test server whose
/// `search_path` is `schema` (which must exist); migrates nothing.
func withPostgresStorage<Result: Sendable>(
    schema: String,
    operationTimeout: Duration = .seconds(20),
    _ body: (PostgresStorage) async throws -> Result
) async throws -> Result {
    guard let url = TestPostgres.url else { throw TestPostgres.Missing() }
    var quiet = Logger(label: "tessera.test.postgres")
    quiet.logLevel = .error
    // A small fixed pool: many tests run at once, each opening its pool at start
    // (with-postgres.sh allows 250 connections in all).
    var configuration = try PostgresStorage.configuration(url: url, poolSize: 4, connectTimeout: operationTimeout)
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    let storage = PostgresStorage(configuration: configuration, operationTimeout: operationTimeout, logger: quiet)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await storage.run() }
        defer { group.cancelAll() }
        return try await body(storage)
    }
}
