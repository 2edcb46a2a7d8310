import PostgresNIO
import Tessera

/// The schema, as numbered migrations recorded in `tessera_schema_migrations`.
///
/// Migration 1 holds the session tables, migration 2 the credential tables:
///
/// - `tessera_api_keys`: one row per API key, keyed by its public `id`;
///   `secret_hash` is the 32-byte SHA-256 of the secret (the key itself is
///   never stored); `scopes` is a `text[]`.
/// - `tessera_login_throttle`: one counter per 32-byte ``ThrottleKey`` hash;
///   no user name or address is stored.
/// - `tessera_refresh_tokens`: one row per refresh token, keyed by its
///   32-byte SHA-256, with indexes by family, by user and by expiry.
/// - `tessera_token_deny_list`: one row per denied token ID (`jti`) with the
///   date it may be forgotten.
///
/// Migration 4 adds `tessera_users`: one row per account, keyed by its
/// random ID, with a unique lowercased login name and its password hash.
///
/// Migration 3 adds `tessera_one_time_tokens`: one row per reset,
/// activation or verification token, keyed by its 32-byte SHA-256 (the
/// token itself is never stored), with its purpose and subject; indexed by
/// subject and purpose (replacing a user's tokens) and by expiry.
///
/// Every date is a `double precision` number of seconds since 1970, like
/// the session tables.
enum PostgresSchema {
    /// An arbitrary constant naming Tessera's advisory locks; the second key
    /// is the schema, so servers migrating the same schema take turns while
    /// different schemas (one per tenant, or per test) don't wait on each other.
    static let migrationLock: Int32 = 0x7465_7373

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
        [
            """
            CREATE TABLE tessera_api_keys (
                id text PRIMARY KEY,
                secret_hash bytea NOT NULL,
                name text NOT NULL,
                owner text NOT NULL,
                scopes text[] NOT NULL,
                created_at double precision NOT NULL,
                expires_at double precision,
                last_used_at double precision,
                revoked_at double precision
            )
            """,
            #"CREATE INDEX tessera_api_keys_by_owner ON tessera_api_keys (owner, created_at, id COLLATE "C")"#,
            "CREATE INDEX tessera_api_keys_by_expiry ON tessera_api_keys (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE INDEX tessera_api_keys_by_revocation ON tessera_api_keys (revoked_at) WHERE revoked_at IS NOT NULL",
            """
            CREATE TABLE tessera_login_throttle (
                key bytea PRIMARY KEY,
                failures bigint NOT NULL,
                last_failure_at double precision NOT NULL
            )
            """,
            "CREATE INDEX tessera_login_throttle_by_last_failure ON tessera_login_throttle (last_failure_at)",
            """
            CREATE TABLE tessera_refresh_tokens (
                token_hash bytea PRIMARY KEY,
                family_id text NOT NULL,
                user_id text NOT NULL,
                generation bigint NOT NULL,
                scope text NOT NULL,
                issued_at double precision NOT NULL,
                expires_at double precision NOT NULL,
                family_expires_at double precision NOT NULL,
                rotated_at double precision
            )
            """,
            "CREATE INDEX tessera_refresh_tokens_by_family ON tessera_refresh_tokens (family_id)",
            "CREATE INDEX tessera_refresh_tokens_by_user ON tessera_refresh_tokens (user_id)",
            "CREATE INDEX tessera_refresh_tokens_by_expiry ON tessera_refresh_tokens (expires_at)",
            "CREATE TABLE tessera_token_deny_list (token_id text PRIMARY KEY, denied_until double precision NOT NULL)",
            "CREATE INDEX tessera_token_deny_list_by_expiry ON tessera_token_deny_list (denied_until)",
        ],
        [
            """
            CREATE TABLE tessera_one_time_tokens (
                token_hash bytea PRIMARY KEY,
                purpose text NOT NULL,
                subject text NOT NULL,
                issued_at double precision NOT NULL,
                expires_at double precision NOT NULL
            )
            """,
            "CREATE INDEX tessera_one_time_tokens_by_subject ON tessera_one_time_tokens (subject, purpose)",
            "CREATE INDEX tessera_one_time_tokens_by_expiry ON tessera_one_time_tokens (expires_at)",
        ],
        [
            """
            CREATE TABLE tessera_users (
                id text PRIMARY KEY,
                username text NOT NULL UNIQUE,
                password_hash text,
                disabled boolean NOT NULL DEFAULT false,
                created_at double precision NOT NULL
            )
            """,
        ],
    ]

    /// Applies the migrations the database has not seen, up to `target`
    /// (all of them unless a test asks for an older schema), in one
    /// transaction under the schema's advisory lock.
    static func migrate(_ executor: PostgresExecutor, upTo target: Int = migrations.count) async throws(StoreError) {
        let logger = executor.logger
        try await executor.run("migrate the schema") { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock), hashtext(current_schema()))", logger: logger)
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
                for (index, statements) in migrations.enumerated().prefix(target) where index >= applied {
                    for statement in statements { try await connection.query(statement, logger: logger) }
                    try await connection.query("INSERT INTO tessera_schema_migrations (version) VALUES (\(index + 1))", logger: logger)
                }
            }
        }
    }
}
