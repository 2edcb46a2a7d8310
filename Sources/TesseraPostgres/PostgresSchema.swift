import PostgresNIO
import Tessera

/// The schema, as numbered migrations recorded in `tessera_schema_migrations`.
enum PostgresSchema {
    /// An arbitrary constant naming Tessera's advisory lock.
    static let migrationLock: Int64 = 0x7465_7373_6572_61

    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE tessera_sessions (
                key bytea PRIMARY KEY,
                handle bytea NOT NULL UNIQUE,
                version bigint NOT NULL,
                user_id text,
                data bytea NOT NULL,
                created_at double precision NOT NULL,
                last_seen_at double precision NOT NULL,
                expires_at double precision NOT NULL,
                authenticated_at double precision,
                authentication_method text,
                client_address text,
                user_agent text
            )
            """,
            "CREATE INDEX tessera_sessions_by_user ON tessera_sessions (user_id, created_at) WHERE user_id IS NOT NULL",
            "CREATE INDEX tessera_sessions_by_expiry ON tessera_sessions (expires_at)",
            "CREATE TABLE tessera_revocation_epochs (subject text PRIMARY KEY, epoch bigint NOT NULL)",
        ],
    ]

    static func migrate(_ executor: PostgresExecutor) async throws(StoreError) {
        let logger = executor.logger
        try await executor.run("migrate the schema") { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS tessera_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger
                )
                var applied = 0
                for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM tessera_schema_migrations", logger: logger).decode(Int.self) {
                    applied = version
                }
                guard applied <= migrations.count else {
                    throw StoreError.unavailable(
                        "the database has schema version \(applied), newer than this Tessera knows (\(migrations.count)); upgrade Tessera"
                    )
                }
                for (index, statements) in migrations.enumerated() where index >= applied {
                    for statement in statements { try await connection.query(statement, logger: logger) }
                    try await connection.query("INSERT INTO tessera_schema_migrations (version) VALUES (\(index + 1))", logger: logger)
                }
            }
        }
    }
}
