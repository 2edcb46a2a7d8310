import Foundation

/// Where refresh-token records live: memory, SQLite, PostgreSQL or your own.
///
/// Each method is one round trip and atomic on its own. ``markRotated(tokenHash:at:)``
/// is the compare-and-set that makes "each token is used once" hold when two
/// servers see the same token at the same instant: exactly one of them wins.
public protocol RefreshTokenStore: Sendable {
    /// Files a new record. Throws ``StoreError/duplicateKey`` if its hash is taken.
    func insert(_ record: RefreshTokenRecord) async throws(StoreError)

    /// The record with this token hash, or `nil`.
    func record(tokenHash: [UInt8]) async throws(StoreError) -> RefreshTokenRecord?

    /// Sets ``RefreshTokenRecord/rotatedAt`` to `date` if it is still `nil`.
    /// Returns `true` if this call did it, `false` if the token was already
    /// rotated or is gone.
    func markRotated(tokenHash: [UInt8], at date: Date) async throws(StoreError) -> Bool

    /// Deletes every token of the family; returns how many went.
    func deleteFamily(_ familyID: String) async throws(StoreError) -> Int

    /// Deletes every token of every family of `userID`; returns how many went.
    func deleteFamilies(ofUser userID: String) async throws(StoreError) -> Int

    /// Deletes at most `limit` records whose ``RefreshTokenRecord/expiresAt``
    /// is at or before `now`; returns how many went.
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int
}
