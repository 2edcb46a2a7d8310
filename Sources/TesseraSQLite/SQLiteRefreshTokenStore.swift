import Foundation
import SQLiteNIO
import Tessera

/// Refresh-token records in the `tessera_refresh_tokens` table of an SQLite file.
///
/// A row is keyed by the token's 32-byte SHA-256, never the token. Every
/// method is one statement; ``markRotated(tokenHash:at:)`` is the
/// compare-and-set `UPDATE … WHERE token_hash = ? AND rotated_at IS NULL`,
/// so of two requests presenting the same token exactly one wins. Get one
/// from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteRefreshTokenStore: RefreshTokenStore {
    let connection: SQLiteConnection

    private static let table = "tessera_refresh_tokens"
    private static let columns = """
        token_hash, family_id, user_id, generation, scope, issued_at, expires_at, family_expires_at, rotated_at
        """

    public func insert(_ record: RefreshTokenRecord) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "insert a refresh token",
            "INSERT INTO tessera_refresh_tokens (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .blob(record.tokenHash), .text(record.familyID), .text(record.userID),
                .integer(SQLiteInt64(record.generation)), .text(record.scope), .date(record.issuedAt),
                .date(record.expiresAt), .date(record.familyExpiresAt), .date(record.rotatedAt),
            ]
        )
    }

    public func record(tokenHash: [UInt8]) async throws(StoreError) -> RefreshTokenRecord? {
        let rows = try await connection.storeQuery(
            "look up a refresh token",
            "SELECT \(Self.columns) FROM tessera_refresh_tokens WHERE token_hash = ?",
            [.blob(tokenHash)]
        )
        return try rows.first.map(Self.record)
    }

    public func markRotated(tokenHash: [UInt8], at date: Date) async throws(StoreError) -> Bool {
        let rows = try await connection.storeQuery(
            "rotate a refresh token",
            "UPDATE tessera_refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL RETURNING 1",
            [.date(date), .blob(tokenHash)]
        )
        return !rows.isEmpty
    }

    public func deleteFamily(_ familyID: String) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete a refresh-token family",
            "DELETE FROM tessera_refresh_tokens WHERE family_id = ? RETURNING 1",
            [.text(familyID)]
        ).count
    }

    public func deleteFamilies(ofUser userID: String) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete a user's refresh tokens",
            "DELETE FROM tessera_refresh_tokens WHERE user_id = ? RETURNING 1",
            [.text(userID)]
        ).count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete expired refresh tokens",
            """
            DELETE FROM tessera_refresh_tokens WHERE token_hash IN \
            (SELECT token_hash FROM tessera_refresh_tokens WHERE expires_at <= ? LIMIT ?) RETURNING 1
            """,
            [.date(now), .limit(limit)]
        ).count
    }

    private static func record(_ row: SQLiteRow) throws(StoreError) -> RefreshTokenRecord {
        let columns = SQLiteColumns(row: row, table: table)
        return RefreshTokenRecord(
            tokenHash: try columns.blob("token_hash"),
            familyID: try columns.text("family_id"),
            userID: try columns.text("user_id"),
            generation: try columns.integer("generation"),
            scope: try columns.text("scope"),
            issuedAt: try columns.date("issued_at"),
            expiresAt: try columns.date("expires_at"),
            familyExpiresAt: try columns.date("family_expires_at"),
            rotatedAt: try columns.optionalDate("rotated_at")
        )
    }
}
