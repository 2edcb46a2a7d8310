import Foundation
import SQLiteNIO
import Tessera

/// A token deny-list in the `tessera_token_deny_list` table of an SQLite file.
///
/// ``deny(_:until:)`` is one `INSERT … ON CONFLICT DO UPDATE` that keeps the
/// later of the two dates, so a second, shorter denial never shortens the
/// first. Get one from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteTokenDenyList: TokenDenyList {
    let connection: SQLiteConnection

    public func deny(_ tokenID: String, until: Date) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "deny a token",
            """
            INSERT INTO tessera_token_deny_list (token_id, denied_until) VALUES (?, ?) \
            ON CONFLICT (token_id) DO UPDATE SET denied_until = max(denied_until, excluded.denied_until)
            """,
            [.text(tokenID), .date(until)]
        )
    }

    public func isDenied(_ tokenID: String, at date: Date) async throws(StoreError) -> Bool {
        let rows = try await connection.storeQuery(
            "check the token deny-list",
            "SELECT 1 FROM tessera_token_deny_list WHERE token_id = ? AND denied_until > ?",
            [.text(tokenID), .date(date)]
        )
        return !rows.isEmpty
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete expired deny-list entries",
            """
            DELETE FROM tessera_token_deny_list WHERE token_id IN \
            (SELECT token_id FROM tessera_token_deny_list WHERE denied_until <= ? LIMIT ?) RETURNING 1
            """,
            [.date(now), .limit(limit)]
        ).count
    }
}
