import Foundation
import SQLiteNIO
import Tessera

/// One-time token records in the `tessera_one_time_tokens` table of an SQLite file.
///
/// A row is keyed by the token's 32-byte SHA-256, never the token. Every
/// method is one statement; ``consume(tokenHash:purpose:)`` is
/// `DELETE … WHERE token_hash = ? AND purpose = ? RETURNING …`, so of two
/// requests presenting the same token exactly one gets the row. Get one
/// from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteOneTimeTokenStore: OneTimeTokenStore {
    let connection: SQLiteConnection

    private static let table = "tessera_one_time_tokens"
    private static let columns = "token_hash, purpose, subject, issued_at, expires_at"

    public func insert(_ record: OneTimeTokenRecord) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "insert a one-time token",
            "INSERT INTO tessera_one_time_tokens (\(Self.columns)) VALUES (?, ?, ?, ?, ?)",
            [
                .blob(record.tokenHash), .text(record.purpose.rawValue), .text(record.subject), .date(record.issuedAt),
                .date(record.expiresAt),
            ]
        )
    }

    public func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord? {
        let rows = try await connection.storeQuery(
            "consume a one-time token",
            "DELETE FROM tessera_one_time_tokens WHERE token_hash = ? AND purpose = ? RETURNING \(Self.columns)",
            [.blob(tokenHash), .text(purpose.rawValue)]
        )
        return try rows.first.map(Self.record)
    }

    public func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete a subject's one-time tokens",
            "DELETE FROM tessera_one_time_tokens WHERE subject = ? AND purpose = ? RETURNING 1",
            [.text(subject), .text(purpose.rawValue)]
        ).count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete expired one-time tokens",
            """
            DELETE FROM tessera_one_time_tokens WHERE token_hash IN \
            (SELECT token_hash FROM tessera_one_time_tokens WHERE expires_at <= ? LIMIT ?) RETURNING 1
            """,
            [.date(now), .limit(limit)]
        ).count
    }

    private static func record(_ row: SQLiteRow) throws(StoreError) -> OneTimeTokenRecord {
        let columns = SQLiteColumns(row: row, table: table)
        guard let purpose = OneTimeTokenPurpose(rawValue: try columns.text("purpose")) else { throw columns.corrupt("purpose") }
        return OneTimeTokenRecord(
            tokenHash: try columns.blob("token_hash"),
            purpose: purpose,
            subject: try columns.text("subject"),
            issuedAt: try columns.date("issued_at"),
            expiresAt: try columns.date("expires_at")
        )
    }
}
