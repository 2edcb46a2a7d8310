import Foundation
import NIOCore
import PostgresNIO
import Tessera

/// Sessions in the `tessera_sessions` table of PostgreSQL, shared by every
/// app server that points at the database.
///
/// Each method is one statement, with parameters bound (never spliced into
/// SQL). The compare-and-set is `UPDATE … WHERE key = $old AND version =
/// $expected`, which PostgreSQL makes atomic under concurrent writers from
/// any number of servers; expiry sweeps delete in batches with
/// `FOR UPDATE SKIP LOCKED`, so sweepers on several servers never queue
/// behind each other. Get one from ``PostgresStorage``.
public struct PostgresSessionStore: SessionStore {
    let executor: PostgresExecutor

    private typealias Row = (
        ByteBuffer, ByteBuffer, Int64, String?, ByteBuffer, Double, Double, Double, Double?, String?, String?, String?
    )

    public func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord? {
        let rows = try await executor.query(
            "load a session",
            """
            SELECT key, handle, version, user_id, data, created_at, last_seen_at, expires_at,
                   authenticated_at, authentication_method, client_address, user_agent
            FROM tessera_sessions WHERE key = \(ByteBuffer(bytes: key.bytes))
            """
        )
        return try rows.first.map(Self.record)
    }

    public func insert(_ record: SessionRecord) async throws(StoreError) {
        _ = try await executor.query(
            "insert a session",
            """
            INSERT INTO tessera_sessions (key, handle, version, user_id, data, created_at, last_seen_at, expires_at,
                authenticated_at, authentication_method, client_address, user_agent)
            VALUES (\(ByteBuffer(bytes: record.key.bytes)), \(ByteBuffer(bytes: record.handle.bytes)), \(record.version),
                \(record.userID), \(ByteBuffer(bytes: record.data)), \(record.createdAt.timeIntervalSince1970),
                \(record.lastSeenAt.timeIntervalSince1970), \(record.expiresAt.timeIntervalSince1970),
                \(record.authenticatedAt?.timeIntervalSince1970), \(record.authenticationMethod),
                \(record.clientAddress), \(record.userAgent))
            """
        )
    }

    public func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool {
        let rows = try await executor.query(
            "update a session",
            """
            UPDATE tessera_sessions SET key = \(ByteBuffer(bytes: record.key.bytes)),
                handle = \(ByteBuffer(bytes: record.handle.bytes)), version = \(record.version),
                user_id = \(record.userID), data = \(ByteBuffer(bytes: record.data)),
                created_at = \(record.createdAt.timeIntervalSince1970), last_seen_at = \(record.lastSeenAt.timeIntervalSince1970),
                expires_at = \(record.expiresAt.timeIntervalSince1970), authenticated_at = \(record.authenticatedAt?.timeIntervalSince1970),
                authentication_method = \(record.authenticationMethod), client_address = \(record.clientAddress),
                user_agent = \(record.userAgent)
            WHERE key = \(ByteBuffer(bytes: oldKey.bytes)) AND version = \(expectedVersion)
            RETURNING version
            """
        )
        return !rows.isEmpty
    }

    public func delete(_ key: SessionLookupKey) async throws(StoreError) {
        _ = try await executor.query("delete a session", "DELETE FROM tessera_sessions WHERE key = \(ByteBuffer(bytes: key.bytes))")
    }

    public func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord] {
        let rows = try await executor.query(
            "list a user's sessions",
            """
            SELECT key, handle, version, user_id, data, created_at, last_seen_at, expires_at,
                   authenticated_at, authentication_method, client_address, user_agent
            FROM tessera_sessions WHERE user_id = \(userID) ORDER BY created_at
            """
        )
        return try rows.map(Self.record)
    }

    public func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int {
        let keptBytes = kept.map { ByteBuffer(bytes: $0.bytes) }
        return try await executor.query(
            "delete a user's sessions",
            "DELETE FROM tessera_sessions WHERE user_id = \(userID) AND key IS DISTINCT FROM \(keptBytes) RETURNING 1"
        ).count
    }

    public func deleteAllRecords() async throws(StoreError) -> Int {
        try await executor.query("delete all sessions", "DELETE FROM tessera_sessions RETURNING 1").count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await executor.query(
            "delete expired sessions",
            """
            DELETE FROM tessera_sessions WHERE key IN (
                SELECT key FROM tessera_sessions WHERE expires_at <= \(now.timeIntervalSince1970)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }

    private static func record(_ row: PostgresRow) throws(StoreError) -> SessionRecord {
        let columns: Row
        do {
            columns = try row.decode(Row.self)
        } catch {
            throw .corruptRecord("a row of tessera_sessions has unexpected column types")
        }
        let (key, handle, version, userID, data, createdAt, lastSeenAt, expiresAt, authenticatedAt, method, address, agent) = columns
        guard let key = SessionLookupKey(bytes: key.readableBytesView), let handle = SessionHandle(bytes: handle.readableBytesView) else {
            throw .corruptRecord("a row of tessera_sessions has a malformed key or handle")
        }
        return SessionRecord(
            key: key, handle: handle, version: version, userID: userID, data: Array(data.readableBytesView),
            createdAt: Date(timeIntervalSince1970: createdAt), lastSeenAt: Date(timeIntervalSince1970: lastSeenAt),
            expiresAt: Date(timeIntervalSince1970: expiresAt),
            authenticatedAt: authenticatedAt.map(Date.init(timeIntervalSince1970:)),
            authenticationMethod: method, clientAddress: address, userAgent: agent
        )
    }
}

