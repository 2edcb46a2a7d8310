import Foundation
import Synchronization

/// Per-user revocation counters: what lets "sign out everywhere" reach
/// sessions that live only in sealed cookies.
///
/// A sealed session records the epoch of its user (and the global epoch)
/// when it is issued; raising an epoch ends every session issued under a
/// lower one. The memory, SQLite and PostgreSQL stores each implement it.
public protocol RevocationEpochStore: Sendable {
    /// The current epoch of `subject` (a user ID, or ``RevocationEpochs/everyone``); 0 if never raised.
    func epoch(of subject: String) async throws(StoreError) -> Int64
    /// Raises the epoch of `subject` by one and returns the new value.
    func advanceEpoch(of subject: String) async throws(StoreError) -> Int64
}

/// Revocation epochs in this process's memory.
public final class MemoryRevocationEpochStore: RevocationEpochStore {
    private let epochs = Mutex<[String: Int64]>([:])

    /// Creates a store where every epoch is 0.
    public init() {}

    public func epoch(of subject: String) async throws(StoreError) -> Int64 {
        epochs.withLock { $0[subject] ?? 0 }
    }

    public func advanceEpoch(of subject: String) async throws(StoreError) -> Int64 {
        epochs.withLock { epochs in
            let next = (epochs[subject] ?? 0) + 1
            epochs[subject] = next
            return next
        }
    }
}

/// Epoch reads with a cache, so a sealed-cookie request costs no store
/// round trip; revocation reaches other servers within ``maximumLag``.
public struct RevocationEpochs: Sendable {
    /// The subject whose epoch ends every session: "sign out everyone".
    public static let everyone = "*"

    /// The epochs a sealed session was issued under.
    struct Stamp: Sendable, Equatable {
        var user: Int64
        var everyone: Int64
    }

    /// Where the epochs are kept.
    public let store: any RevocationEpochStore
    /// How stale a cached epoch may be: the longest a revoked sealed
    /// session can still be accepted by another server.
    public let maximumLag: TimeInterval

    private final class Cache: Sendable {
        let entries = Mutex<[String: (epoch: Int64, fetchedAt: Date)]>([:])
    }
    private let cache = Cache()

    /// Reads epochs from `store`, trusting a cached value for `maximumLag` seconds.
    public init(store: any RevocationEpochStore, maximumLag: TimeInterval = 30) {
        self.store = store
        self.maximumLag = maximumLag
    }

    func epoch(of subject: String, now: Date, fresh: Bool = false) async throws(StoreError) -> Int64 {
        if !fresh, let cached = cache.entries.withLock({ $0[subject] }), now.timeIntervalSince(cached.fetchedAt) < maximumLag {
            return cached.epoch
        }
        let fresh = try await store.epoch(of: subject)
        cache.entries.withLock { entries in
            // Bound the cache: a flood of distinct users can't grow it without limit.
            if entries.count >= 100_000 { entries.removeAll(keepingCapacity: true) }
            entries[subject] = (fresh, now)
        }
        return fresh
    }

    /// The epochs to seal into a session. `fresh` reads past the cache: a
    /// sign-in must carry the current epoch, or a revocation another server
    /// made moments ago would end the brand-new session when caches catch up.
    func stamp(user: String?, now: Date, fresh: Bool = false) async throws(StoreError) -> Stamp {
        let everyone = try await epoch(of: Self.everyone, now: now, fresh: fresh)
        guard let user else { return Stamp(user: 0, everyone: everyone) }
        return Stamp(user: try await epoch(of: user, now: now, fresh: fresh), everyone: everyone)
    }

    func isRevoked(_ stamp: Stamp, user: String?, now: Date) async throws(StoreError) -> Bool {
        let current = try await self.stamp(user: user, now: now)
        return stamp.everyone < current.everyone || (user != nil && stamp.user < current.user)
    }

    func advance(_ subject: String, now: Date) async throws(StoreError) {
        let next = try await store.advanceEpoch(of: subject)
        cache.entries.withLock { $0[subject] = (next, now) }
    }
}
