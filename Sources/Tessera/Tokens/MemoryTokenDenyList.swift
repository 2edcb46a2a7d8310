import Foundation
import Synchronization

/// A token deny-list in this process's memory: for one server, tests and development.
public final class MemoryTokenDenyList: TokenDenyList {
    /// The most entries kept; denying beyond it throws ``StoreError/capacityExceeded(limit:)``
    /// after expired entries are cleared.
    public let capacity: Int
    private let entries = Mutex<[String: Date]>([:])
    private let clock: any WallClock

    /// Creates an empty deny-list holding at most `capacity` entries; `clock`
    /// decides which entries have lapsed when room must be made.
    public init(capacity: Int = 1_000_000, clock: any WallClock = SystemWallClock()) {
        self.capacity = capacity
        self.clock = clock
    }

    public func deny(_ tokenID: String, until: Date) async throws(StoreError) {
        try entries.withLock { (entries) throws(StoreError) in
            if let existing = entries[tokenID] {
                entries[tokenID] = max(existing, until)
                return
            }
            if entries.count >= capacity {
                let now = clock.now()
                entries = entries.filter { $0.value > now }
                guard entries.count < capacity else { throw .capacityExceeded(limit: capacity) }
            }
            entries[tokenID] = until
        }
    }

    public func isDenied(_ tokenID: String, at date: Date) async throws(StoreError) -> Bool {
        entries.withLock { entries in entries[tokenID].map { date < $0 } ?? false }
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        entries.withLock { entries in
            let doomed = entries.lazy.filter { $0.value <= now }.prefix(max(limit, 0)).map(\.key)
            for key in doomed { entries[key] = nil }
            return doomed.count
        }
    }
}
