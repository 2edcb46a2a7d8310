import Foundation
import NIOCore
import PostgresNIO
import Tessera

/// One-time token records in the `tessera_one_time_tokens` table of
/// PostgreSQL, shared by every app server that points at the database.
///
/// A row is keyed by the token's 32-byte SHA-256, never the token. Each
/// method is one statement. ``consume(tokenHash:purpose:)`` is
/// `DELETE … WHERE token_hash = $1 AND purpose = $2 RETURNING …`: a second
/// deleter waits on the row lock, then finds the row gone, so of any number
/// of servers presenting the same token at the same instant exactly one
/// gets it. Get one from ``PostgresStorage``.
public struct PostgresOneTimeTokenStore: OneTimeTokenStore {
    let executor: PostgresExecutor

    private typealias Row = (ByteBuffer, String, String, Double, Double)

    public func insert(_ record: OneTimeTokenRecord) async throws(StoreError) {
        _ = try await executor.query(
            "insert a one-time token",
            """
            INSERT INTO tessera_one_time_tokens (token_hash, purpose, subject, issued_at, expires_at)
            VALUES (\(ByteBuffer(bytes: record.tokenHash)), \(record.purpose.rawValue), \(record.subject),
                \(record.issuedAt.timeIntervalSince1970), \(record.expiresAt.timeIntervalSince1970))
            """
        )
    }

    public func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord? {
        let rows = try await executor.query(
            "consume a one-time token",
            """
            DELETE FROM tessera_one_time_tokens
            WHERE token_hash = \(ByteBuffer(bytes: tokenHash)) AND purpose = \(purpose.rawValue)
            RETURNING token_hash, purpose, subject, issued_at, expires_at
            """
        )
        return try rows.first.map(Self.record)
    }

    public func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int {
        try await executor.query(
            "delete a subject's one-time tokens",
            "DELETE FROM tessera_one_time_tokens WHERE subject = \(subject) AND purpose = \(purpose.rawValue) RETURNING 1"
        ).count
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await executor.query(
            "delete expired one-time tokens",
            """
            DELETE FROM tessera_one_time_tokens WHERE token_hash IN (
                SELECT token_hash FROM tessera_one_time_tokens WHERE expires_at <= \(now.timeIntervalSince1970)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }

    private static func record(_ row: PostgresRow) throws(StoreError) -> OneTimeTokenRecord {
        let columns: Row
        do {
            columns = try row.decode(Row.self)
        } catch {
            throw .corruptRecord("a row of tessera_one_time_tokens has unexpected column types")
        }
        let (tokenHash, purpose, subject, issuedAt, expiresAt) = columns
        guard let purpose = OneTimeTokenPurpose(rawValue: purpose) else {
            throw .corruptRecord("a row of tessera_one_time_tokens has a malformed purpose")
        }
        return OneTimeTokenRecord(
            tokenHash: Array(tokenHash.readableBytesView), purpose: purpose, subject: subject,
            issuedAt: Date(timeIntervalSince1970: issuedAt), expiresAt: Date(timeIntervalSince1970: expiresAt)
        )
    }
}
