import Foundation
import SQLiteNIO
import Tessera

/// User accounts in the `tessera_users` table of an SQLite file.
///
/// Login names are stored lowercased under a `UNIQUE` constraint, so two
/// accounts can never share one. Get one from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteUserStore: UserStore {
    let connection: SQLiteConnection

    private static let table = "tessera_users"
    private static let columns = "id, username, password_hash, disabled, created_at"

    public func insert(_ record: UserRecord) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "insert a user", "INSERT INTO tessera_users (\(Self.columns)) VALUES (?, ?, ?, ?, ?)", Self.binds(record)
        )
    }

    public func insertFirst(_ record: UserRecord) async throws(StoreError) -> Bool {
        let rows = try await connection.storeQuery(
            "insert the first user",
            """
            INSERT INTO tessera_users (\(Self.columns)) SELECT ?, ?, ?, ?, ? \
            WHERE NOT EXISTS (SELECT 1 FROM tessera_users) RETURNING 1
            """,
            Self.binds(record)
        )
        return !rows.isEmpty
    }

    public func user(named username: Username) async throws(StoreError) -> UserRecord? {
        try await connection.storeQuery(
            "look up a user", "SELECT \(Self.columns) FROM tessera_users WHERE username = ?", [.text(username.value)]
        ).first.map(Self.record)
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await connection.storeQuery(
            "look up a user", "SELECT \(Self.columns) FROM tessera_users WHERE id = ?", [.text(id)]
        ).first.map(Self.record)
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        try await connection.storeQuery("list users", "SELECT \(Self.columns) FROM tessera_users ORDER BY username").map(Self.record)
    }

    public func setPasswordHash(ofUser id: String, to hash: String) async throws(StoreError) -> Bool {
        !(try await connection.storeQuery(
            "change a password", "UPDATE tessera_users SET password_hash = ? WHERE id = ? RETURNING 1", [.text(hash), .text(id)]
        )).isEmpty
    }

    public func setDisabled(ofUser id: String, _ disabled: Bool) async throws(StoreError) -> Bool {
        !(try await connection.storeQuery(
            "disable or enable a user", "UPDATE tessera_users SET disabled = ? WHERE id = ? RETURNING 1",
            [.integer(disabled ? 1 : 0), .text(id)]
        )).isEmpty
    }

    private static func binds(_ record: UserRecord) -> [SQLiteData] {
        [.text(record.id), .text(record.username.value), record.passwordHash.map(SQLiteData.text) ?? .null,
         .integer(record.disabled ? 1 : 0), .date(record.createdAt)]
    }

    private static func record(_ row: SQLiteRow) throws(StoreError) -> UserRecord {
        let columns = SQLiteColumns(row: row, table: table)
        guard let username = Username(try columns.text("username")) else { throw columns.corrupt("username") }
        let hash: String?
        if case .null = row.column("password_hash") { hash = nil } else { hash = try columns.text("password_hash") }
        return UserRecord(
            id: try columns.text("id"), username: username, passwordHash: hash,
            disabled: try columns.integer("disabled") != 0, createdAt: try columns.date("created_at")
        )
    }
}
