import Foundation
import Logging
import NIOCore
import SQLiteNIO
import Tessera

/// Tessera's tables in one SQLite file: the embedded default store.
///
/// Opening creates the file (default `./tessera.db`, mode 0600), turns on
/// WAL so readers never wait for the writer, and applies any schema
/// migrations the file has not seen (tracked in `PRAGMA user_version`).
///
/// ```swift
/// let storage = try await SQLiteStorage.open(path: "tessera.db")
/// let sessions = SessionManager(store: storage.sessions)
/// let apiKeys = storage.apiKeys        // and loginThrottle, refreshTokens, tokenDenyList, oneTimeTokens, users
/// ```
public final class SQLiteStorage: Sendable {
    /// The default database file, relative to the working directory.
    public static let defaultPath = "tessera.db"

    /// The session store over this file.
    public let sessions: SQLiteSessionStore
    /// The revocation epochs over this file (for sealed-cookie sessions).
    public let revocationEpochs: SQLiteRevocationEpochStore
    /// The API key records over this file (hashes only, never keys).
    public let apiKeys: SQLiteAPIKeyStore
    /// The login-throttling counters over this file.
    public let loginThrottle: SQLiteLoginThrottleStore
    /// The refresh-token records over this file (hashes only, never tokens).
    public let refreshTokens: SQLiteRefreshTokenStore
    /// The deny-list of token IDs over this file.
    public let tokenDenyList: SQLiteTokenDenyList
    /// The one-time (reset, activation, verification) token records over this file (hashes only, never tokens).
    public let oneTimeTokens: SQLiteOneTimeTokenStore
    /// The user accounts over this file.
    public let users: SQLiteUserStore
    let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
        self.sessions = SQLiteSessionStore(connection: connection)
        self.revocationEpochs = SQLiteRevocationEpochStore(connection: connection)
        self.apiKeys = SQLiteAPIKeyStore(connection: connection)
        self.loginThrottle = SQLiteLoginThrottleStore(connection: connection)
        self.refreshTokens = SQLiteRefreshTokenStore(connection: connection)
        self.tokenDenyList = SQLiteTokenDenyList(connection: connection)
        self.oneTimeTokens = SQLiteOneTimeTokenStore(connection: connection)
        self.users = SQLiteUserStore(connection: connection)
    }

    /// Opens (creating if needed) the database at `path` and migrates it;
    /// `":memory:"` opens a private in-memory database.
    /// - Throws: ``StoreError/unavailable(_:)`` if the file can't be
    ///   opened or migrated.
    public static func open(path: String = defaultPath, logger: Logger = Logger(label: "tessera.sqlite")) async throws(StoreError) -> SQLiteStorage {
        try await open(path: path, schemaVersion: SQLiteSchema.migrations.count, logger: logger)
    }

    /// Opens the database migrated only up to `schemaVersion`: how tests
    /// make a file as an older Tessera left it.
    static func open(path: String, schemaVersion: Int, logger: Logger = Logger(label: "tessera.sqlite")) async throws(StoreError) -> SQLiteStorage {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        if path != ":memory:" { try await createPrivately(path) }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw SQLiteFailure.map(error, doing: "open \"\(SafeText.printable(path))\"")
        }
        do {
            try await SQLiteSchema.migrate(connection, upTo: schemaVersion)
        } catch {
            try? await connection.close()
            throw error
        }
        return SQLiteStorage(connection: connection)
    }

    /// Closes the database; later calls on its stores fail as unavailable.
    public func close() async {
        try? await connection.close()
    }

    /// Creates the file with mode 0600 before SQLite opens it, so session
    /// data is never world-readable, not even for an instant.
    private static func createPrivately(_ path: String) async throws(StoreError) {
        let descriptor = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .unavailable("can't create \"\(SafeText.printable(path))\": \(String(cString: strerror(errno)))")
        }
        _ = Foundation.close(descriptor)
    }
}

/// Turns sqlite-nio's errors into Tessera's: constraint violations on the
/// key are duplicates, everything else makes the store unavailable.
enum SQLiteFailure {
    static func map(_ error: any Error, doing action: String) -> StoreError {
        guard let error = error as? SQLiteError else {
            return .unavailable("SQLite could not \(action): \(type(of: error))")
        }
        switch error.reason {
        case .constraint, .constraintPrimaryKeyFailed, .constraintUniqueFailed:
            return .duplicateKey
        default:
            // SQLite's messages name tables and columns, never bound values.
            return .unavailable("SQLite could not \(action): \(error.message)")
        }
    }
}
