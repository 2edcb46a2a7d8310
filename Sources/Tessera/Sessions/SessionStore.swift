import Foundation

/// Where server-side sessions live: memory, SQLite, PostgreSQL or your own.
///
/// The surface is small on purpose. Each method is one round trip and
/// must be atomic on its own; the ``SessionManager`` builds rotation,
/// revocation and conflict-free saves on top:
///
/// - ``update(_:replacing:expectedVersion:)`` is a compare-and-set: it
///   writes only if the stored version is still `expectedVersion`, and may
///   move the record to a new key in the same step (ID rotation), so the
///   old ID dies at the instant the new one is born.
/// - An unreachable backend throws ``SessionStoreError/unavailable(_:)``;
///   the manager passes that on rather than treating the request as
///   anonymous (fail closed).
public protocol SessionStore: Sendable {
    /// The record filed under `key`, or `nil`. Expired records may still be
    /// returned; the manager decides expiry from its own policy.
    func load(_ key: SessionLookupKey) async throws(SessionStoreError) -> SessionRecord?

    /// Files a new record. Throws ``SessionStoreError/duplicateKey`` if
    /// `record.key` is taken.
    func insert(_ record: SessionRecord) async throws(SessionStoreError)

    /// Replaces the record at `oldKey` with `record` (whose key may differ)
    /// if the stored version equals `expectedVersion`. Returns `false`, and
    /// changes nothing, if the record is gone or its version moved.
    func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(SessionStoreError) -> Bool

    /// Deletes the record at `key`, if any.
    func delete(_ key: SessionLookupKey) async throws(SessionStoreError)

    /// Every record of `userID`, oldest first.
    func records(ofUser userID: String) async throws(SessionStoreError) -> [SessionRecord]

    /// Deletes every record of `userID` except the one at `kept`; returns how many went.
    func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(SessionStoreError) -> Int

    /// Deletes every record of every user; returns how many went.
    func deleteAllRecords() async throws(SessionStoreError) -> Int

    /// Deletes at most `limit` records whose ``SessionRecord/expiresAt`` is
    /// at or before `now`; returns how many went. Sweepers call it in a loop
    /// so that no single call holds the store for long.
    func deleteExpired(asOf now: Date, limit: Int) async throws(SessionStoreError) -> Int
}

/// Why a store could not do what was asked.
///
/// Messages name the problem and what to do; they never contain a session
/// ID, a lookup key or a secret.
public enum SessionStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The backend can't be reached or failed; the request must fail (503), not pass.
    case unavailable(String)
    /// The store is full; a request that needs a new session must fail (503).
    case capacityExceeded(limit: Int)
    /// A record with this key already exists.
    case duplicateKey
    /// A stored record could not be decoded.
    case corruptRecord(String)

    public var description: String {
        switch self {
        case .unavailable(let reason):
            "session store unavailable: \(reason)"
        case .capacityExceeded(let limit):
            "session store full (\(limit) sessions): raise its capacity or shorten the idle timeout"
        case .duplicateKey:
            "a session with this key already exists"
        case .corruptRecord(let reason):
            "a stored session record could not be read: \(reason)"
        }
    }
}
