import Foundation

/// Token identifiers (`jti`) that must be refused until their token expires:
/// how a self-contained token dies before its `exp` (logout, ASVS 7.4.1).
///
/// An entry only needs to outlive the token it names, so stores drop it
/// after `until`. Each method is one round trip.
public protocol TokenDenyList: Sendable {
    /// Refuses the token `tokenID` until `until` (its `exp`). Denying an
    /// already-denied ID keeps the later of the two dates.
    func deny(_ tokenID: String, until: Date) async throws(StoreError)

    /// Whether `tokenID` is refused at `date`.
    func isDenied(_ tokenID: String, at date: Date) async throws(StoreError) -> Bool

    /// Deletes at most `limit` entries whose date is at or before `now`; returns how many went.
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int
}
