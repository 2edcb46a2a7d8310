public import Logging
public import ServiceLifecycle
public import Tessera
import TesseraPostgres
import TesseraSQLite

/// Every store the server uses, over one SQLite file or one PostgreSQL
/// database, whichever ``StoreLocation`` names.
public struct ServerStorage: Sendable {
    /// Sessions.
    public let sessions: any SessionStore
    /// User accounts.
    public let users: any UserStore
    /// API keys.
    public let apiKeys: any APIKeyStore
    /// Login-throttling counters.
    public let loginThrottle: any LoginThrottleStore
    /// Refresh-token families.
    public let refreshTokens: any RefreshTokenStore
    /// Revoked access-token IDs.
    public let tokenDenyList: any TokenDenyList
    /// Per-user revocation epochs (disable a user: every token dies).
    public let revocationEpochs: any RevocationEpochStore
    /// The services the stores need running (PostgreSQL's connection pool).
    public let services: [any Service]
    private let closer: @Sendable () async -> Void

    /// The stores of the SQLite file at `path`, created and migrated.
    static func sqlite(path: String, logger: Logger) async throws(StoreError) -> ServerStorage {
        let storage = try await SQLiteStorage.open(path: path, logger: logger)
        return ServerStorage(
            sessions: storage.sessions, users: storage.users, apiKeys: storage.apiKeys, loginThrottle: storage.loginThrottle,
            refreshTokens: storage.refreshTokens, tokenDenyList: storage.tokenDenyList, revocationEpochs: storage.revocationEpochs,
            services: [], closer: { await storage.close() }
        )
    }

    /// The stores of `storage`. Its connection pool is in ``services``
    /// and must run (in a `ServiceGroup`, or ``withStorage(at:logger:_:)``)
    /// for any store call, the migration included, to get an answer.
    static func postgres(_ storage: PostgresStorage) -> ServerStorage {
        ServerStorage(
            sessions: storage.sessions, users: storage.users, apiKeys: storage.apiKeys, loginThrottle: storage.loginThrottle,
            refreshTokens: storage.refreshTokens, tokenDenyList: storage.tokenDenyList, revocationEpochs: storage.revocationEpochs,
            services: [storage], closer: {}
        )
    }

    /// Opens the stores at `location`, runs `body` with them, and closes
    /// them: how the admin commands work on the same store as the server.
    public static func withStorage<Result: Sendable>(
        at location: StoreLocation, logger: Logger, _ body: @Sendable (ServerStorage) async throws -> Result
    ) async throws -> Result {
        switch location {
        case .sqlite(let path):
            let storage = try await sqlite(path: path, logger: logger)
            do {
                let result = try await body(storage)
                await storage.close()
                return result
            } catch {
                await storage.close()
                throw error
            }
        case .postgres(let url):
            // One command's few queries: two connections, whatever the URL's pool_size.
            let postgres = try PostgresStorage(url: url, poolSize: 2, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await postgres.run() }
                defer { group.cancelAll() }
                try await postgres.migrate()
                return try await body(.postgres(postgres))
            }
        }
    }

    /// Opens the stores for a long-running server; PostgreSQL's pool is in
    /// ``services`` and its tables are migrated by ``prepare()``.
    public static func open(at location: StoreLocation, logger: Logger) async throws -> (storage: ServerStorage, prepare: @Sendable () async throws -> Void) {
        switch location {
        case .sqlite(let path):
            return (try await sqlite(path: path, logger: logger), {})
        case .postgres(let url):
            let postgres = try PostgresStorage(url: url, logger: logger)
            return (.postgres(postgres), { try await postgres.migrate() })
        }
    }

    /// Closes the SQLite file (PostgreSQL's pool stops with its service).
    public func close() async {
        await closer()
    }
}
