import Foundation
import NIOCore
import PostgresNIO
import Tessera

/// Login-throttling counters in the `tessera_login_throttle` table of
/// PostgreSQL: throttling holds across every app server sharing the database.
///
/// A row holds the 32-byte ``ThrottleKey`` hash, never the account name or
/// address it was made from. ``recordFailure(for:at:notBefore:)`` is one
/// `INSERT … ON CONFLICT (key) DO UPDATE … RETURNING` for all its keys,
/// which PostgreSQL makes an atomic read-modify-write of each counter under
/// any number of concurrent writers. The keys are upserted in byte order,
/// so two calls locking the same counters in different orders can't
/// deadlock. Get one from ``PostgresStorage``.
public struct PostgresLoginThrottleStore: LoginThrottleStore {
    let executor: PostgresExecutor

    public func counters(for keys: [ThrottleKey], notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return [:] }
        let rows = try await executor.query(
            "read login-throttling counters",
            """
            SELECT key, failures, last_failure_at FROM tessera_login_throttle
            WHERE key = ANY(\(keys.map { ByteBuffer(bytes: $0.bytes) })) AND last_failure_at >= \(cutoff.timeIntervalSince1970)
            """
        )
        return try Self.counters(rows, keys: keys)
    }

    public func recordFailure(for keys: [ThrottleKey], at date: Date, notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return [:] }
        let rows = try await executor.query(
            "record a failed login",
            """
            INSERT INTO tessera_login_throttle AS counter (key, failures, last_failure_at)
            SELECT incoming.key, 1, \(date.timeIntervalSince1970)
            FROM unnest(\(keys.map { ByteBuffer(bytes: $0.bytes) })) AS incoming(key) ORDER BY incoming.key
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN counter.last_failure_at < \(cutoff.timeIntervalSince1970) THEN 1 ELSE counter.failures + 1 END,
                last_failure_at = GREATEST(counter.last_failure_at, EXCLUDED.last_failure_at)
            RETURNING counter.key, counter.failures, counter.last_failure_at
            """
        )
        let counters = try Self.counters(rows, keys: keys)
        guard counters.count == keys.count else {
            throw .unavailable("PostgreSQL returned \(counters.count) counters for \(keys.count) keys")
        }
        return counters
    }

    public func reset(_ keys: [ThrottleKey]) async throws(StoreError) {
        let keys = Self.distinct(keys)
        guard !keys.isEmpty else { return }
        _ = try await executor.query(
            "reset login-throttling counters",
            "DELETE FROM tessera_login_throttle WHERE key = ANY(\(keys.map { ByteBuffer(bytes: $0.bytes) }))"
        )
    }

    public func deleteExpired(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        try await executor.query(
            "delete forgotten login-throttling counters",
            """
            DELETE FROM tessera_login_throttle WHERE key IN (
                SELECT key FROM tessera_login_throttle WHERE last_failure_at < \(cutoff.timeIntervalSince1970)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }

    /// `keys` without repeats (PostgreSQL refuses to upsert one row twice in a statement).
    private static func distinct(_ keys: [ThrottleKey]) -> [ThrottleKey] {
        var seen = Set<ThrottleKey>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// The counters of `rows`, keyed by the caller's keys (which carry the scope the table doesn't).
    private static func counters(_ rows: [PostgresRow], keys: [ThrottleKey]) throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        let byBytes = Dictionary(keys.map { ($0.bytes, $0) }, uniquingKeysWith: { first, _ in first })
        var counters: [ThrottleKey: ThrottleCounter] = [:]
        for row in rows {
            let columns: (ByteBuffer, Int64, Double)
            do {
                columns = try row.decode((ByteBuffer, Int64, Double).self)
            } catch {
                throw .corruptRecord("a row of tessera_login_throttle has unexpected column types")
            }
            guard let key = byBytes[Array(columns.0.readableBytesView)], let failures = Int(exactly: columns.1) else {
                throw .corruptRecord("a row of tessera_login_throttle has a malformed key or count")
            }
            counters[key] = ThrottleCounter(failures: failures, lastFailureAt: Date(timeIntervalSince1970: columns.2))
        }
        return counters
    }
}
