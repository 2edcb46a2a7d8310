import SQLiteNIO
import Tessera

/// The schema, as numbered migrations; `PRAGMA user_version` records how
/// many a file has applied.
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
    ]

    static func migrate(_ connection: SQLiteConnection) async throws(StoreError) {
        do {
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
            let rows = try await connection.query("PRAGMA user_version")
            let applied = rows.first?.column("user_version")?.integer ?? 0
            guard applied <= migrations.count else {
                throw StoreError.unavailable(
                    "the database has schema version \(applied), newer than this Tessera knows (\(migrations.count)); upgrade Tessera"
                )
            }
            for (index, statements) in migrations.enumerated() where index >= applied {
                _ = try await connection.query("BEGIN IMMEDIATE")
                do {
                    for statement in statements { _ = try await connection.query(statement) }
                    _ = try await connection.query("PRAGMA user_version = \(index + 1)")
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
}
