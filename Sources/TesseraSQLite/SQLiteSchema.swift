import SQLiteNIO
import Tessera

/// The schema, as numbered migrations; `PRAGMA user_version` records how
/// many a file has applied.
///
/// Migration 1 holds the session tables, migration 2 the credential tables:
///
/// - `tessera_api_keys`: one row per API key, keyed by its public `id`;
///   `secret_hash` is the 32-byte SHA-256 of the secret (the key itself is
///   never stored); `scopes` is a JSON array of strings (lossless for any
///   scope text, and `json_each` can query it).
/// - `tessera_login_throttle`: one counter per 32-byte ``ThrottleKey`` hash;
///   no user name or address is stored.
/// - `tessera_refresh_tokens`: one row per refresh token, keyed by its
///   32-byte SHA-256, with indexes by family, by user and by expiry.
/// - `tessera_token_deny_list`: one row per denied token ID (`jti`) with the
///   date it may be forgotten.
///
/// Migration 3 adds `tessera_one_time_tokens`: one row per reset,
/// activation or verification token, keyed by its 32-byte SHA-256 (the
/// token itself is never stored), with its purpose and subject; indexed by
/// subject and purpose (replacing a user's tokens) and by expiry.
///
/// Migration 4 adds `tessera_users`: one row per account, keyed by its
/// random ID, with a unique lowercased login name and its password hash.
///
/// Every date is a REAL number of seconds since 1970, like the session tables.
enum SQLiteSchema {
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE tessera_sessions (
                key BLOB PRIMARY KEY NOT NULL,
                handle BLOB NOT NULL UNIQUE,
                version INTEGER NOT NULL,
                user_id TEXT,
                data BLOB NOT NULL,
                created_at REAL NOT NULL,
                last_seen_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                authenticated_at REAL,
                authentication_method TEXT,
                client_address TEXT,
                user_agent TEXT
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_sessions_by_user ON tessera_sessions (user_id, created_at) WHERE user_id IS NOT NULL",
            "CREATE INDEX tessera_sessions_by_expiry ON tessera_sessions (expires_at)",
            """
            CREATE TABLE tessera_revocation_epochs (
                subject TEXT PRIMARY KEY NOT NULL,
                epoch INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
        ],
        [
            """
            CREATE TABLE tessera_api_keys (
                id TEXT PRIMARY KEY NOT NULL,
                secret_hash BLOB NOT NULL,
                name TEXT NOT NULL,
                owner TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL,
                last_used_at REAL,
                revoked_at REAL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_api_keys_by_owner ON tessera_api_keys (owner, created_at, id)",
            "CREATE INDEX tessera_api_keys_by_expiry ON tessera_api_keys (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE INDEX tessera_api_keys_by_revocation ON tessera_api_keys (revoked_at) WHERE revoked_at IS NOT NULL",
            """
            CREATE TABLE tessera_login_throttle (
                key BLOB PRIMARY KEY NOT NULL,
                failures INTEGER NOT NULL,
                last_failure_at REAL NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_login_throttle_by_last_failure ON tessera_login_throttle (last_failure_at)",
            """
            CREATE TABLE tessera_refresh_tokens (
                token_hash BLOB PRIMARY KEY NOT NULL,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                generation INTEGER NOT NULL,
                scope TEXT NOT NULL,
                issued_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                family_expires_at REAL NOT NULL,
                rotated_at REAL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_refresh_tokens_by_family ON tessera_refresh_tokens (family_id)",
            "CREATE INDEX tessera_refresh_tokens_by_user ON tessera_refresh_tokens (user_id)",
            "CREATE INDEX tessera_refresh_tokens_by_expiry ON tessera_refresh_tokens (expires_at)",
            """
            CREATE TABLE tessera_token_deny_list (
                token_id TEXT PRIMARY KEY NOT NULL,
                denied_until REAL NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_token_deny_list_by_expiry ON tessera_token_deny_list (denied_until)",
        ],
        [
            """
            CREATE TABLE tessera_one_time_tokens (
                token_hash BLOB PRIMARY KEY NOT NULL,
                purpose TEXT NOT NULL,
                subject TEXT NOT NULL,
                issued_at REAL NOT NULL,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX tessera_one_time_tokens_by_subject ON tessera_one_time_tokens (subject, purpose)",
            "CREATE INDEX tessera_one_time_tokens_by_expiry ON tessera_one_time_tokens (expires_at)",
        ],
        [
            """
            CREATE TABLE tessera_users (
                id TEXT PRIMARY KEY NOT NULL,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at REAL NOT NULL
            ) WITHOUT ROWID
            """,
        ],
    ]

    /// How long a statement waits for another connection's write lock.
    static let busyTimeoutMilliseconds = 5_000

    /// Applies the migrations `connection` has not seen, up to `target`
    /// (all of them unless a test asks for an older schema).
    ///
    /// Each migration runs in its own `BEGIN IMMEDIATE` transaction and
    /// re-reads the version inside it, so two processes opening the same
    /// file at once apply each migration exactly once.
    static func migrate(_ connection: SQLiteConnection, upTo target: Int = migrations.count) async throws(StoreError) {
        do {
            // Another connection to the file (a second process, or a second
            // storage in this one) holding the write lock makes a writer wait
            // this long instead of failing at once with SQLITE_BUSY.
            _ = try await connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
            let applied = try await version(connection)
            guard applied <= migrations.count else {
                throw StoreError.unavailable(
                    "the database has schema version \(applied), newer than this Tessera knows (\(migrations.count)); upgrade Tessera"
                )
            }
            for index in applied..<max(applied, min(target, migrations.count)) {
                _ = try await connection.query("BEGIN IMMEDIATE")
                do {
                    // Another process may have applied it while we waited for the lock.
                    if try await version(connection) == index {
                        for statement in migrations[index] { _ = try await connection.query(statement) }
                        _ = try await connection.query("PRAGMA user_version = \(index + 1)")
                    }
                    _ = try await connection.query("COMMIT")
                } catch {
                    _ = try? await connection.query("ROLLBACK")
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteFailure.map(error, doing: "migrate the schema")
        }
    }

    /// The number of migrations the file has applied.
    static func version(_ connection: SQLiteConnection) async throws -> Int {
        let rows = try await connection.query("PRAGMA user_version")
        guard case .integer(let version) = rows.first?.column("user_version") else {
            throw StoreError.unavailable("SQLite returned no schema version")
        }
        return Int(version)
    }
}
