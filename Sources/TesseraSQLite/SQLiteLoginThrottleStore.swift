import Foundation
import SQLiteNIO
import Tessera

/// Login-throttling counters in the `tessera_login_throttle` table of an
/// SQLite file, shared by every process that opens the file.
///
/// A row holds the 32-byte ``ThrottleKey`` hash, never the account name or
/// address it was made from. ``recordFailure(for:at:notBefore:)`` is one
/// `INSERT … ON CONFLICT (key) DO UPDATE … RETURNING` for all its keys, so
/// the read-modify-write of each counter is atomic: concurrent failures are
/// never lost. Get one from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteLoginThrottleStore: LoginThrottleStore {
    let connection: SQLiteConnection

    private static let table = "tessera_login_throttle"

    public func counters(for keys: [ThrottleKey], notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let rows = try await connection.storeQuery(
            "read login-throttling counters",
            """
            SELECT key, failures, last_failure_at FROM tessera_login_throttle \
            WHERE key IN (\(placeholders)) AND last_failure_at >= ?
            """,
            keys.map { .blob($0.bytes) } + [.date(cutoff)]
        )
        return try Self.counters(rows, keys: keys)
    }

    public func recordFailure(for keys: [ThrottleKey], at date: Date, notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return [:] }
        let values = Array(repeating: "(?, 1, ?)", count: keys.count).joined(separator: ", ")
        // In the SET list every unqualified column is the row's old value,
        // so both assignments see the counter as it was before this failure.
        let rows = try await connection.storeQuery(
            "record a failed login",
            """
            INSERT INTO tessera_login_throttle (key, failures, last_failure_at) VALUES \(values) \
            ON CONFLICT (key) DO UPDATE SET \
            failures = CASE WHEN last_failure_at < ? THEN 1 ELSE failures + 1 END, \
            last_failure_at = max(last_failure_at, excluded.last_failure_at) \
            RETURNING key, failures, last_failure_at
            """,
            keys.flatMap { [.blob($0.bytes), .date(date)] } + [.date(cutoff)]
        )
        let counters = try Self.counters(rows, keys: keys)
        guard counters.count == keys.count else {
            throw .unavailable("SQLite returned \(counters.count) counters for \(keys.count) keys")
        }
        return counters
    }

    public func reset(_ keys: [ThrottleKey]) async throws(StoreError) {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        _ = try await connection.storeQuery(
            "reset login-throttling counters",
            "DELETE FROM tessera_login_throttle WHERE key IN (\(placeholders))",
            keys.map { .blob($0.bytes) }
        )
    }

    public func deleteExpired(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete forgotten login-throttling counters",
            """
            DELETE FROM tessera_login_throttle WHERE key IN \
            (SELECT key FROM tessera_login_throttle WHERE last_failure_at < ? LIMIT ?) RETURNING 1
            """,
            [.date(cutoff), .limit(limit)]
        ).count
    }

    /// `keys` without repeats, in their first order.
    private static func distinct(_ keys: [ThrottleKey]) -> [ThrottleKey] {
        var seen = Set<ThrottleKey>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// The counters of `rows`, keyed by the caller's keys (which carry the scope the table doesn't).
    private static func counters(_ rows: [SQLiteRow], keys: [ThrottleKey]) throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let byBytes = Dictionary(keys.map { ($0.bytes, $0) }, uniquingKeysWith: { first, _ in first })
        var counters: [ThrottleKey: ThrottleCounter] = [:]
        for row in rows {
            let columns = SQLiteColumns(row: row, table: table)
            guard let key = byBytes[try columns.blob("key")] else { throw columns.corrupt("key") }
            counters[key] = ThrottleCounter(failures: try columns.integer("failures"), lastFailureAt: try columns.date("last_failure_at"))
        }
        return counters
    }
}
