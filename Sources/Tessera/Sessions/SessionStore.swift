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
/// - An unreachable backend throws ``StoreError/unavailable(_:)``;
///   the manager passes that on rather than treating the request as
///   anonymous (fail closed).
public protocol SessionStore: Sendable {
    /// The record filed under `key`, or `nil`. Expired records may still be
    /// returned; the manager decides expiry from its own policy.
    func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord?

    /// Files a new record. Throws ``StoreError/duplicateKey`` if
    /// `record.key` is taken.
    func insert(_ record: SessionRecord) async throws(StoreError)

    /// Replaces the record at `oldKey` with `record` (whose key may differ)
    /// if the stored version equals `expectedVersion`. Returns `false`, and
    /// changes nothing, if the record is gone or its version moved.
    func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool

    /// Deletes the record at `key`, if any.
    func delete(_ key: SessionLookupKey) async throws(StoreError)

    /// Every record of `userID`, oldest first.
    func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord]

    /// Deletes every record of `userID` except the one at `kept`; returns how many went.
    func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int

    /// Deletes every record of every user; returns how many went.
    func deleteAllRecords() async throws(StoreError) -> Int

    /// Deletes at most `limit` records whose ``SessionRecord/expiresAt`` is
    /// at or before `now`; returns how many went. Sweepers call it in a loop
    /// so that no single call holds the store for long.
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int
}
