import Foundation
import Synchronization

/// Login-throttling counters in this process's memory: for one server,
/// tests and development.
///
/// The table is bounded. When it is full, forgotten counters go first;
/// if it is still full, the counter with the oldest failure is evicted.
/// An attacker who wants to reset a counter that way must first fail
/// ``capacity`` times from other keys, which the address counters throttle.
public final class MemoryLoginThrottleStore: LoginThrottleStore {
    /// The most counters kept.
    public let capacity: Int
    private let counters = Mutex<[ThrottleKey: ThrottleCounter]>([:])

    /// Creates an empty store keeping at most `capacity` counters.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public func counters(for keys: [ThrottleKey], notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        counters.withLock { counters in
            var found: [ThrottleKey: ThrottleCounter] = [:]
            for key in keys {
                if let counter = counters[key], counter.lastFailureAt >= cutoff { found[key] = counter }
            }
            return found
        }
    }

    public func recordFailure(for keys: [ThrottleKey], at date: Date, notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter] {
        counters.withLock { counters in
            var updated: [ThrottleKey: ThrottleCounter] = [:]
            for key in keys where updated[key] == nil {
                var counter = ThrottleCounter(failures: 0, lastFailureAt: date)
                if let existing = counters[key], existing.lastFailureAt >= cutoff { counter.failures = existing.failures }
                counter.failures += 1
                counter.lastFailureAt = max(date, counters[key]?.lastFailureAt ?? date)
                if counters[key] == nil, counters.count >= capacity { makeRoom(in: &counters, cutoff: cutoff) }
                counters[key] = counter
                updated[key] = counter
            }
            return updated
        }
    }

    private func makeRoom(in counters: inout [ThrottleKey: ThrottleCounter], cutoff: Date) {
        counters = counters.filter { $0.value.lastFailureAt >= cutoff }
        if counters.count >= capacity,
           let oldest = counters.min(by: { $0.value.lastFailureAt < $1.value.lastFailureAt })?.key {
            counters[oldest] = nil
        }
    }

    public func reset(_ keys: [ThrottleKey]) async throws(StoreError) {
        counters.withLock { counters in
            for key in keys { counters[key] = nil }
        }
    }

    public func deleteExpired(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        counters.withLock { counters in
            let doomed = counters.lazy.filter { $0.value.lastFailureAt < cutoff }.prefix(max(limit, 0)).map(\.key)
            for key in doomed { counters[key] = nil }
            return doomed.count
        }
    }
}
