import Foundation
import PostgresNIO
import Tessera

/// A token deny-list in the `tessera_token_deny_list` table of PostgreSQL,
/// shared by every app server that points at the database.
///
/// ``deny(_:until:)`` is one `INSERT … ON CONFLICT DO UPDATE` that keeps the
/// later of the two dates (`GREATEST`), so a second, shorter denial never
/// shortens the first; the expiry sweep deletes in batches with
/// `FOR UPDATE SKIP LOCKED`. Get one from ``PostgresStorage``.
public struct PostgresTokenDenyList: TokenDenyList {
    let executor: PostgresExecutor

    public func deny(_ tokenID: String, until: Date) async throws(StoreError) {
        _ = try await executor.query(
            "deny a token",
            """
            INSERT INTO tessera_token_deny_list AS entry (token_id, denied_until)
            VALUES (\(tokenID), \(until.timeIntervalSince1970))
            ON CONFLICT (token_id) DO UPDATE SET denied_until = GREATEST(entry.denied_until, EXCLUDED.denied_until)
            """
        )
    }

    public func isDenied(_ tokenID: String, at date: Date) async throws(StoreError) -> Bool {
        let rows = try await executor.query(
            "check the token deny-list",
            "SELECT 1 FROM tessera_token_deny_list WHERE token_id = \(tokenID) AND denied_until > \(date.timeIntervalSince1970)"
        )
        return !rows.isEmpty
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await executor.query(
            "delete expired deny-list entries",
            """
            DELETE FROM tessera_token_deny_list WHERE token_id IN (
                SELECT token_id FROM tessera_token_deny_list WHERE denied_until <= \(now.timeIntervalSince1970)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }
}
