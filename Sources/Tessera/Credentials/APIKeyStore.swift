import Foundation

/// Where API key records live: memory, SQLite, PostgreSQL or your own.
///
/// Each method is one round trip and atomic on its own. An unreachable
/// backend throws ``StoreError/unavailable(_:)``, and the request fails
/// (503) rather than passing unauthenticated or, worse, authenticated.
public protocol APIKeyStore: Sendable {
    /// Files a new record. Throws ``StoreError/duplicateKey`` if `record.id` is taken.
    func insert(_ record: APIKeyRecord) async throws(StoreError)

    /// The record with identifier `id`, or `nil`.
    func record(id: String) async throws(StoreError) -> APIKeyRecord?

    /// Every record of `owner`, revoked and expired ones included, oldest first.
    func records(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord]

    /// Marks the key `id` of `owner` revoked at `date`. Returns `false`, and
    /// changes nothing, if there is no such key of that owner or it is
    /// already revoked: one user can never revoke another's key.
    func revoke(id: String, ofOwner owner: String, at date: Date) async throws(StoreError) -> Bool

    /// Revokes every unrevoked key of `owner`; returns how many.
    func revokeAll(ofOwner owner: String, at date: Date) async throws(StoreError) -> Int

    /// Records that the key `id` was accepted at `date`.
    func recordUse(id: String, at date: Date) async throws(StoreError)

    /// Deletes at most `limit` records that expired or were revoked at or
    /// before `cutoff`; returns how many went.
    func deleteInactive(before cutoff: Date, limit: Int) async throws(StoreError) -> Int
}
