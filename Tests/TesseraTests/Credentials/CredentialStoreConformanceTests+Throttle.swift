import Foundation
import Testing
@testable import Tessera

/// ``LoginThrottleStore`` against every backend.
extension CredentialStoreConformanceTests {
    /// A window of 15 minutes before `date`.
    static func cutoff(_ date: Date) -> Date { date.addingTimeInterval(-900) }

    @Test("Throttle: each failure counts one; counters reads the live ones among the keys asked", arguments: StoreKind.serverSide)
    func throttleCounting(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let alice = ThrottleKey(.account, "alice"), bob = ThrottleKey(.account, "bob")
            #expect(try await stores.throttle.counters(for: [alice, bob], notBefore: Self.cutoff(Self.t0)).isEmpty)
            #expect(try await stores.throttle.counters(for: [], notBefore: Self.t0).isEmpty)
            #expect(try await stores.throttle.recordFailure(for: [], at: Self.t0, notBefore: Self.t0).isEmpty)
            for step in 1...3 {
                let date = Self.t0.addingTimeInterval(Double(step) * 1.5)
                let counters = try await stores.throttle.recordFailure(for: [alice], at: date, notBefore: Self.cutoff(date))
                #expect(counters == [alice: ThrottleCounter(failures: step, lastFailureAt: date)])
            }
            let now = Self.t0.addingTimeInterval(10)
            let read = try await stores.throttle.counters(for: [alice, bob], notBefore: Self.cutoff(now))
            #expect(read == [alice: ThrottleCounter(failures: 3, lastFailureAt: Self.t0.addingTimeInterval(4.5))])
            #expect(read.keys.first?.scope == .account)
            // A failure dated before the latest one (another server's clock) counts, and keeps the later date.
            let late = try await stores.throttle.recordFailure(for: [alice], at: Self.t0.addingTimeInterval(1), notBefore: Self.cutoff(Self.t0))
            #expect(late == [alice: ThrottleCounter(failures: 4, lastFailureAt: Self.t0.addingTimeInterval(4.5))])
        }
    }

    @Test("Throttle: a counter older than the cutoff reads as absent and starts again at one", arguments: StoreKind.serverSide)
    func throttleCutoffRestartsAtOne(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = ThrottleKey(.accountAtAddress, "alice@192.0.2.1")
            for step in 0..<3 {
                _ = try await stores.throttle.recordFailure(for: [key], at: Self.t0.addingTimeInterval(Double(step)), notBefore: Self.cutoff(Self.t0))
            }
            let last = Self.t0.addingTimeInterval(2)
            // The cutoff is inclusive: a failure exactly at it is still live.
            #expect(try await stores.throttle.counters(for: [key], notBefore: last)[key]?.failures == 3)
            #expect(try await stores.throttle.counters(for: [key], notBefore: last.addingTimeInterval(0.25)).isEmpty)
            let later = last.addingTimeInterval(1000)
            let restarted = try await stores.throttle.recordFailure(for: [key], at: later, notBefore: Self.cutoff(later))
            #expect(restarted == [key: ThrottleCounter(failures: 1, lastFailureAt: later)])
            let again = try await stores.throttle.recordFailure(for: [key], at: later.addingTimeInterval(1), notBefore: Self.cutoff(later))
            #expect(again[key]?.failures == 2)
        }
    }

    @Test("Throttle: reset deletes the counters of the keys given and no others", arguments: StoreKind.serverSide)
    func throttleReset(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let account = ThrottleKey(.account, "alice")
            let here = ThrottleKey(.accountAtAddress, "alice@192.0.2.1")
            let there = ThrottleKey(.accountAtAddress, "alice@198.51.100.7")
            let cutoff = Self.cutoff(Self.t0)
            for _ in 0..<2 { _ = try await stores.throttle.recordFailure(for: [account, here, there], at: Self.t0, notBefore: cutoff) }
            // A success from one address resets that address's counter and the account's, not the other address's.
            try await stores.throttle.reset([account, here])
            #expect(try await stores.throttle.counters(for: [account, here, there], notBefore: cutoff) == [there: ThrottleCounter(failures: 2, lastFailureAt: Self.t0)])
            try await stores.throttle.reset([])
            try await stores.throttle.reset([ThrottleKey(.address, "203.0.113.9"), account])
            #expect(try await stores.throttle.counters(for: [there], notBefore: cutoff)[there]?.failures == 2)
            #expect(try await stores.throttle.recordFailure(for: [here], at: Self.t0, notBefore: cutoff)[here]?.failures == 1)
        }
    }

    @Test("Throttle: one call counts each of several keys once, a repeated key included, and keeps their scopes", arguments: StoreKind.serverSide)
    func throttleSeveralKeys(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let account = ThrottleKey(.account, "alice")
            let address = ThrottleKey(.address, "192.0.2.1")
            let both = ThrottleKey(.accountAtAddress, "alice@192.0.2.1")
            let cutoff = Self.cutoff(Self.t0)
            let first = try await stores.throttle.recordFailure(for: [account, address, both], at: Self.t0, notBefore: cutoff)
            #expect(first == [account: ThrottleCounter(failures: 1, lastFailureAt: Self.t0), address: ThrottleCounter(failures: 1, lastFailureAt: Self.t0), both: ThrottleCounter(failures: 1, lastFailureAt: Self.t0)])
            let second = try await stores.throttle.recordFailure(for: [address, account, address], at: Self.t0.addingTimeInterval(1), notBefore: cutoff)
            #expect(second.count == 2)
            #expect(second[account]?.failures == 2)
            #expect(second[address]?.failures == 2)
            let read = try await stores.throttle.counters(for: [both, account, address, both], notBefore: cutoff)
            #expect(read.mapValues(\.failures) == [account: 2, address: 2, both: 1])
            #expect(Dictionary(uniqueKeysWithValues: read.keys.map { ($0.bytes, $0.scope) }) == [account.bytes: .account, address.bytes: .address, both.bytes: .accountAtAddress])
        }
    }

    @Test("Throttle: deleteExpired removes at most `limit` counters whose last failure is before the cutoff", arguments: StoreKind.serverSide)
    func throttleDeleteExpired(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let keys = (0..<5).map { ThrottleKey(.address, "192.0.2.\($0)") }
            for (index, key) in keys.enumerated() {
                _ = try await stores.throttle.recordFailure(for: [key], at: Self.t0.addingTimeInterval(Double(index)), notBefore: Self.cutoff(Self.t0))
            }
            let cutoff = Self.t0.addingTimeInterval(3)  // keys 0, 1, 2 are before it; key 3 is at it
            #expect(try await stores.throttle.deleteExpired(before: cutoff, limit: 0) == 0)
            #expect(try await stores.throttle.deleteExpired(before: cutoff, limit: -5) == 0)
            #expect(try await stores.throttle.deleteExpired(before: cutoff, limit: 2) == 2)
            #expect(try await stores.throttle.deleteExpired(before: cutoff, limit: 2) == 1)
            #expect(try await stores.throttle.deleteExpired(before: cutoff, limit: 2) == 0)
            let left = try await stores.throttle.counters(for: keys, notBefore: .distantPast)
            #expect(Set(left.keys) == [keys[3], keys[4]])
        }
    }

    @Test("test_ASVS_6_3_1: 50 concurrent failures on one key all count (each caller sees its own count)", arguments: StoreKind.serverSide)
    func test_ASVS_6_3_1_throttleCountsEveryConcurrentFailure(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = ThrottleKey(.account, "alice")
            let throttle = stores.throttle
            let seen = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let date = Self.t0.addingTimeInterval(Double(index) / 64)
                        let counters = try await throttle.recordFailure(for: [key], at: date, notBefore: Self.cutoff(Self.t0))
                        return try #require(counters[key]).failures
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(seen.sorted() == Array(1...50), "two callers saw the same count: a failure was lost")
            let counter = try #require(try await throttle.counters(for: [key], notBefore: Self.cutoff(Self.t0))[key])
            #expect(counter.failures == 50)
            #expect(counter.lastFailureAt == Self.t0.addingTimeInterval(49.0 / 64))
        }
    }

    @Test("test_ASVS_6_3_1: concurrent failures on the same keys listed in opposite orders all count and never deadlock", arguments: StoreKind.serverSide)
    func test_ASVS_6_3_1_throttleConcurrentMultiKeyFailures(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let account = ThrottleKey(.account, "alice")
            let address = ThrottleKey(.address, "192.0.2.1")
            let both = ThrottleKey(.accountAtAddress, "alice@192.0.2.1")
            let throttle = stores.throttle
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let keys = index.isMultiple(of: 2) ? [account, address, both] : [both, address, account]
                        let counters = try await throttle.recordFailure(for: keys, at: Self.t0, notBefore: Self.cutoff(Self.t0))
                        #expect(counters.count == 3)
                    }
                }
                try await group.waitForAll()
            }
            let read = try await throttle.counters(for: [account, address, both], notBefore: Self.cutoff(Self.t0))
            #expect(read.mapValues(\.failures) == [account: 40, address: 40, both: 40])
        }
    }

    @Test("test_ASVS_6_3_1: throttling counters are shared by every app server on the same database", arguments: [StoreKind.sqlite, .postgres])
    func test_ASVS_6_3_1_throttleCountersSharedAcrossServers(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { first in
            let key = ThrottleKey(.accountAtAddress, "alice@192.0.2.1")
            let cutoff = Self.cutoff(Self.t0)
            for _ in 0..<3 { _ = try await first.throttle.recordFailure(for: [key], at: Self.t0, notBefore: cutoff) }
            let shared = try await first.withSecondServer { second in
                #expect(try await second.throttle.counters(for: [key], notBefore: cutoff)[key]?.failures == 3)
                #expect(try await second.throttle.recordFailure(for: [key], at: Self.t0, notBefore: cutoff)[key]?.failures == 4)
                #expect(try await first.throttle.counters(for: [key], notBefore: cutoff)[key]?.failures == 4)

                // Both servers failing at once, 25 each: none lost.
                let racing = ThrottleKey(.account, "bob")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<50 {
                        let throttle = index.isMultiple(of: 2) ? first.throttle : second.throttle
                        group.addTask { _ = try await throttle.recordFailure(for: [racing], at: Self.t0, notBefore: cutoff) }
                    }
                    try await group.waitForAll()
                }
                #expect(try await first.throttle.counters(for: [racing], notBefore: cutoff)[racing]?.failures == 50)

                try await second.throttle.reset([key])
                return try await first.throttle.counters(for: [key, racing], notBefore: cutoff)
            }
            #expect(shared?.mapValues(\.failures) == [ThrottleKey(.account, "bob"): 50])
        }
    }

    @Test("Throttle: a stored counter holds the 32-byte key hash, never the account name or address", arguments: [StoreKind.sqlite, .postgres])
    func throttleRowHoldsOnlyTheHash(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let key = ThrottleKey(.accountAtAddress, "alice-the-account@192.0.2.77")
            _ = try await stores.throttle.recordFailure(for: [key], at: Self.t0, notBefore: Self.cutoff(Self.t0))
            let rows = try #require(try await stores.rawRows(of: "tessera_login_throttle"))
            let row = try #require(rows.first)
            #expect(rows.count == 1)
            #expect(row["key"] == .some(key.bytes))
            for (column, value) in row {
                guard let value else { continue }
                for secret in ["alice-the-account", "192.0.2.77"] {
                    #expect(!Self.contains(value, Array(secret.utf8)), "column \(column) holds \(secret)")
                }
            }
        }
    }
}
