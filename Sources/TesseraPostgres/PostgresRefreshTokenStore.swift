import Foundation
import NIOCore
import PostgresNIO
import Tessera

/// Refresh-token records in the `tessera_refresh_tokens` table of
/// PostgreSQL, shared by every app server that points at the database.
///
/// A row is keyed by the token's 32-byte SHA-256, never the token. Each
/// method is one statement. ``markRotated(tokenHash:at:)`` is the
/// compare-and-set `UPDATE … WHERE token_hash = $1 AND rotated_at IS NULL`:
/// PostgreSQL re-checks the condition for a writer that waited on the row
/// lock, so of any number of servers presenting the same token at the same
/// instant exactly one wins. Get one from ``PostgresStorage``.
public struct PostgresRefreshTokenStore: RefreshTokenStore {
    let executor: PostgresExecutor

    private typealias Row = (ByteBuffer, String, String, Int64, String, Double, Double, Double, Double?)

    public func insert(_ record: RefreshTokenRecord) async throws(StoreError) {
        _ = try await executor.query(
            "insert a refresh token",
            """
            INSERT INTO tessera_refresh_tokens (token_hash, family_id, user_id, generation, scope, issued_at, expires_at,
                family_expires_at, rotated_at)
            VALUES (\(ByteBuffer(bytes: record.tokenHash)), \(record.familyID), \(record.userID), \(Int64(record.generation)),
                \(record.scope), \(record.issuedAt.timeIntervalSince1970), \(record.expiresAt.timeIntervalSince1970),
                \(record.familyExpiresAt.timeIntervalSince1970), \(record.rotatedAt?.timeIntervalSince1970))
            """
        )
    }

    public func record(tokenHash: [UInt8]) async throws(StoreError) -> RefreshTokenRecord? {
        let rows = try await executor.query(
            "look up a refresh token",
            """
            SELECT token_hash, family_id, user_id, generation, scope, issued_at, expires_at, family_expires_at, rotated_at
            FROM tessera_refresh_tokens WHERE token_hash = \(ByteBuffer(bytes: tokenHash))
            """
        )
        return try rows.first.map(Self.record)
    }

    public func markRotated(tokenHash: [UInt8], at date: Date) async throws(StoreError) -> Bool {
        let rows = try await executor.query(
            "rotate a refresh token",
            """
            UPDATE tessera_refresh_tokens SET rotated_at = \(date.timeIntervalSince1970)
            WHERE token_hash = \(ByteBuffer(bytes: tokenHash)) AND rotated_at IS NULL RETURNING 1
            """
        )
        return !rows.isEmpty
    }

    public func deleteFamily(_ familyID: String) async throws(StoreError) -> Int {
        try await executor.query(
            "delete a refresh-token family",
            "DELETE FROM tessera_refresh_tokens WHERE family_id = \(familyID) RETURNING 1"
        ).count
    }

    public func deleteFamilies(ofUser userID: String) async throws(StoreError) -> Int {
        try await executor.query(
            "delete a user's refresh tokens",
            "DELETE FROM tessera_refresh_tokens WHERE user_id = \(userID) RETURNING 1"
        ).count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await executor.query(
            "delete expired refresh tokens",
            """
            DELETE FROM tessera_refresh_tokens WHERE token_hash IN (
                SELECT token_hash FROM tessera_refresh_tokens WHERE expires_at <= \(now.timeIntervalSince1970)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }

    private static func record(_ row: PostgresRow) throws(StoreError) -> RefreshTokenRecord {
        let columns: Row
        do {
            columns = try row.decode(Row.self)
        } catch {
            throw .corruptRecord("a row of tessera_refresh_tokens has unexpected column types")
        }
        let (tokenHash, familyID, userID, generation, scope, issuedAt, expiresAt, familyExpiresAt, rotatedAt) = columns
        guard let generation = Int(exactly: generation) else {
            throw .corruptRecord("a row of tessera_refresh_tokens has a generation out of range")
        }
        return RefreshTokenRecord(
            tokenHash: Array(tokenHash.readableBytesView), familyID: familyID, userID: userID, generation: generation,
            scope: scope, issuedAt: Date(timeIntervalSince1970: issuedAt), expiresAt: Date(timeIntervalSince1970: expiresAt),
            familyExpiresAt: Date(timeIntervalSince1970: familyExpiresAt),
            rotatedAt: rotatedAt.map(Date.init(timeIntervalSince1970:))
        )
    }
}
