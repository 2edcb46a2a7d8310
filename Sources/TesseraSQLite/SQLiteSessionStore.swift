import Foundation
import NIOCore
import SQLiteNIO
import Tessera

/// Sessions in the `tessera_sessions` table of an SQLite file.
///
/// Every method is one statement, so each is atomic without a transaction;
/// the compare-and-set is `UPDATE … WHERE key = ? AND version = ?`, and a
/// rotation moves the row to its new key in that same statement. Get one
/// from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteSessionStore: SessionStore {
    let connection: SQLiteConnection

    private static let columns = """
        key, handle, version, user_id, data, created_at, last_seen_at, expires_at, \
        authenticated_at, authentication_method, client_address, user_agent
        """

    public func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord? {
        let rows = try await query("load a session", "SELECT \(Self.columns) FROM tessera_sessions WHERE key = ?", [.blob(key.bytes)])
        return try rows.first.map(Self.record)
    }

    public func insert(_ record: SessionRecord) async throws(StoreError) {
        _ = try await query(
            "insert a session",
            "INSERT INTO tessera_sessions (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Self.binds(record)
        )
    }

    public func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool {
        let rows = try await query(
            "update a session",
            """
            UPDATE tessera_sessions SET key = ?, handle = ?, version = ?, user_id = ?, data = ?, created_at = ?, \
            last_seen_at = ?, expires_at = ?, authenticated_at = ?, authentication_method = ?, client_address = ?, \
            user_agent = ? WHERE key = ? AND version = ? RETURNING version
            """,
            Self.binds(record) + [.blob(oldKey.bytes), .integer(SQLiteInt64(expectedVersion))]
        )
        return !rows.isEmpty
    }

    public func delete(_ key: SessionLookupKey) async throws(StoreError) {
        _ = try await query("delete a session", "DELETE FROM tessera_sessions WHERE key = ?", [.blob(key.bytes)])
    }

    public func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord] {
        let rows = try await query(
            "list a user's sessions",
            "SELECT \(Self.columns) FROM tessera_sessions WHERE user_id = ? ORDER BY created_at",
            [.text(userID)]
        )
        return try rows.map(Self.record)
    }

    public func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int {
        let rows = try await query(
            "delete a user's sessions",
            "DELETE FROM tessera_sessions WHERE user_id = ? AND key IS NOT ? RETURNING 1",
            [.text(userID), kept.map { .blob($0.bytes) } ?? .null]
        )
        return rows.count
    }

    public func deleteAllRecords() async throws(StoreError) -> Int {
        try await query("delete all sessions", "DELETE FROM tessera_sessions RETURNING 1", []).count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await query(
            "delete expired sessions",
            """
            DELETE FROM tessera_sessions WHERE key IN \
            (SELECT key FROM tessera_sessions WHERE expires_at <= ? LIMIT ?) RETURNING 1
            """,
            [.float(now.timeIntervalSince1970), .integer(SQLiteInt64(max(limit, 0)))]
        ).count
    }

    private func query(_ action: String, _ sql: String, _ binds: [SQLiteData]) async throws(StoreError) -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw SQLiteFailure.map(error, doing: action)
        }
    }

    private static func binds(_ record: SessionRecord) -> [SQLiteData] {
        [
            .blob(record.key.bytes),
            .blob(record.handle.bytes),
            .integer(SQLiteInt64(record.version)),
            record.userID.map { .text($0) } ?? .null,
            .blob(record.data),
            .float(record.createdAt.timeIntervalSince1970),
            .float(record.lastSeenAt.timeIntervalSince1970),
            .float(record.expiresAt.timeIntervalSince1970),
            record.authenticatedAt.map { .float($0.timeIntervalSince1970) } ?? .null,
            record.authenticationMethod.map { .text($0) } ?? .null,
            record.clientAddress.map { .text($0) } ?? .null,
            record.userAgent.map { .text($0) } ?? .null,
        ]
    }

    private static func record(_ row: SQLiteRow) throws(StoreError) -> SessionRecord {
        func bytes(_ name: String) -> [UInt8]? {
            switch row.column(name) {
            case .blob(let buffer): Array(buffer.readableBytesView)
            case .text(let text): Array(text.utf8)  // an empty BLOB may come back as text
            default: nil
            }
        }
        func date(_ name: String) -> Date? { row.column(name)?.double.map(Date.init(timeIntervalSince1970:)) }
        func text(_ name: String) -> String? { row.column(name)?.string }
        guard let keyBytes = bytes("key"), let key = SessionLookupKey(bytes: keyBytes),
              let handleBytes = bytes("handle"), let handle = SessionHandle(bytes: handleBytes),
              let version = row.column("version")?.integer,
              let createdAt = date("created_at"), let lastSeenAt = date("last_seen_at"), let expiresAt = date("expires_at")
        else { throw .corruptRecord("a row of tessera_sessions is missing required columns") }
        return SessionRecord(
            key: key, handle: handle, version: Int64(version),
            userID: text("user_id"), data: bytes("data") ?? [],
            createdAt: createdAt, lastSeenAt: lastSeenAt, expiresAt: expiresAt,
            authenticatedAt: date("authenticated_at"), authenticationMethod: text("authentication_method"),
            clientAddress: text("client_address"), userAgent: text("user_agent")
        )
    }
}


extension SQLiteData {
    static func blob(_ bytes: [UInt8]) -> SQLiteData { .blob(ByteBuffer(bytes: bytes)) }
}
