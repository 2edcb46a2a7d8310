import Foundation
import PostgresNIO
import Tessera

/// User accounts in the `tessera_users` table of PostgreSQL, shared by
/// every server that points at the database.
///
/// Login names are stored lowercased under a `UNIQUE` constraint, so two
/// accounts can never share one. Get one from ``PostgresStorage``.
public struct PostgresUserStore: UserStore {
    let executor: PostgresExecutor

    private typealias Row = (String, String, String?, Bool, Double)

    public func insert(_ record: UserRecord) async throws(StoreError) {
        _ = try await executor.query(
            "insert a user",
            """
            INSERT INTO tessera_users (id, username, password_hash, disabled, created_at)
            VALUES (\(record.id), \(record.username.value), \(record.passwordHash), \(record.disabled), \(record.createdAt.timeIntervalSince1970))
            """
        )
    }

    public func insertFirst(_ record: UserRecord) async throws(StoreError) -> Bool {
        // The table lock makes "no user yet" and the insert one step for
        // every server starting at once on this database.
        let logger = executor.logger
        let inserted = try await executor.run("insert the first user") { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("LOCK TABLE tessera_users IN EXCLUSIVE MODE", logger: logger)
                return try await connection.query(
                    """
                    INSERT INTO tessera_users (id, username, password_hash, disabled, created_at)
                    SELECT \(record.id), \(record.username.value), \(record.passwordHash), \(record.disabled),
                        \(record.createdAt.timeIntervalSince1970)
                    WHERE NOT EXISTS (SELECT 1 FROM tessera_users) RETURNING 1
                    """,
                    logger: logger
                ).collect().count
            }
        }
        return inserted > 0
    }

    public func user(named username: Username) async throws(StoreError) -> UserRecord? {
        try await executor.query(
            "look up a user",
            "SELECT id, username, password_hash, disabled, created_at FROM tessera_users WHERE username = \(username.value)"
        ).first.map(Self.record)
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await executor.query(
            "look up a user", "SELECT id, username, password_hash, disabled, created_at FROM tessera_users WHERE id = \(id)"
        ).first.map(Self.record)
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        try await executor.query(
            "list users", "SELECT id, username, password_hash, disabled, created_at FROM tessera_users ORDER BY username COLLATE \"C\""
        ).map(Self.record)
    }

    public func setPasswordHash(ofUser id: String, to hash: String) async throws(StoreError) -> Bool {
        !(try await executor.query(
            "change a password", "UPDATE tessera_users SET password_hash = \(hash) WHERE id = \(id) RETURNING 1"
        )).isEmpty
    }

    public func setDisabled(ofUser id: String, _ disabled: Bool) async throws(StoreError) -> Bool {
        !(try await executor.query(
            "disable or enable a user", "UPDATE tessera_users SET disabled = \(disabled) WHERE id = \(id) RETURNING 1"
        )).isEmpty
    }

    private static func record(_ row: PostgresRow) throws(StoreError) -> UserRecord {
        let columns: Row
        do {
            columns = try row.decode(Row.self)
        } catch {
            throw .corruptRecord("a row of tessera_users has unexpected column types")
        }
        let (id, name, hash, disabled, createdAt) = columns
        guard let username = Username(name) else { throw .corruptRecord("a row of tessera_users has a malformed username") }
        return UserRecord(id: id, username: username, passwordHash: hash, disabled: disabled, createdAt: Date(timeIntervalSince1970: createdAt))
    }
}
