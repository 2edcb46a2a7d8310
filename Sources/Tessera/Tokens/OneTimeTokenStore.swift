import Foundation

/// Where one-time token records live: memory, SQLite, PostgreSQL or your own.
///
/// Each method is one round trip and atomic on its own.
/// ``consume(tokenHash:purpose:)`` deletes the record and returns it in the
/// same step, so when two servers see the same token at the same instant
/// exactly one of them gets the record: a token is used once.
public protocol OneTimeTokenStore: Sendable {
    /// Files a new record. Throws ``StoreError/duplicateKey`` if its hash is taken.
    func insert(_ record: OneTimeTokenRecord) async throws(StoreError)

    /// Deletes the record with this hash and purpose and returns it; `nil`,
    /// deleting nothing, if there is none (unknown, already used, or issued
    /// for another purpose). Expired records are returned too: the caller
    /// decides, and the record is gone either way.
    func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord?

    /// Deletes every record of `subject` for `purpose`; returns how many went.
    func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int

    /// Deletes at most `limit` records whose ``OneTimeTokenRecord/expiresAt``
    /// is at or before `now`; returns how many went.
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int
}
