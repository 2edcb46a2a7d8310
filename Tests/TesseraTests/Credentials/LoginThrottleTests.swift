import Foundation
import Testing
@testable import Tessera

/// Login throttling: backoff, scopes, the no-lockout policy and its documentation.
@Suite struct LoginThrottleTests {
    let clock = ManualWallClock()
    let store = MemoryLoginThrottleStore()
    var throttle: LoginThrottle { LoginThrottle(store: store, clock: clock) }

    @Test func test_ASVS_6_3_1_failuresPerAccountAndAddressEarnA429UntilTheDelayEnds() async throws {
        let throttle = throttle
        for _ in 0..<5 { #expect(try await throttle.recordFailure(account: "alice", address: "203.0.113.7") == .allowed) }
        #expect(try await throttle.recordFailure(account: "alice", address: "203.0.113.7") == .throttled(retryAfter: 1))
        #expect(try await throttle.recordFailure(account: "alice", address: "203.0.113.7") == .throttled(retryAfter: 2))
        #expect(try await throttle.check(account: "ALICE", address: "203.0.113.7") == .throttled(retryAfter: 2), "account names fold case")
        clock.advance(by: 2)
        #expect(try await throttle.check(account: "alice", address: "203.0.113.7") == .allowed)
        // Another address is not slowed by this one's failures.
        #expect(try await throttle.check(account: "alice", address: "198.51.100.1") == .allowed)
    }

    @Test func successClearsOnlyItsOwnAddressCounter() async throws {
        let throttle = throttle
        for _ in 0..<7 { try await throttle.recordFailure(account: "alice", address: "a") }
        for _ in 0..<7 { try await throttle.recordFailure(account: "alice", address: "b") }
        clock.advance(by: 10)
        try await throttle.recordSuccess(account: "alice", address: "a")
        #expect(try await throttle.recordFailure(account: "alice", address: "a") == .allowed)
        #expect(try await throttle.recordFailure(account: "alice", address: "b") == .throttled(retryAfter: 4),
                "a success elsewhere does not reset b's counter")
    }

    @Test func sprayingFromOneAddressIsSlowedAcrossAccounts() async throws {
        let throttle = throttle
        for index in 0..<50 { #expect(try await throttle.recordFailure(account: "user\(index)", address: "evil") == .allowed) }
        #expect(try await throttle.recordFailure(account: "user50", address: "evil") == .throttled(retryAfter: 1))
        #expect(try await throttle.check(account: "fresh", address: "evil") != .allowed)
    }

    @Test func distributedGuessingAgainstOneAccountIsSlowedButNeverLocksItForever() async throws {
        let throttle = throttle
        for index in 0..<40 { try await throttle.recordFailure(account: "alice", address: "bot\(index)") }
        guard case .throttled(let wait) = try await throttle.check(account: "alice", address: "home") else {
            Issue.record("20 free failures then backoff: the account should be throttled")
            return
        }
        #expect(wait <= 900, "the delay is capped at 15 minutes: nobody is locked out")
        clock.advance(by: TimeInterval(wait))
        #expect(try await throttle.check(account: "alice", address: "home") == .allowed)
        // And counters forget after a quiet day.
        clock.advance(by: 86_400)
        #expect(try await store.counters(for: LoginThrottle.keys(account: "alice", address: "home"), notBefore: clock.now().addingTimeInterval(-86_400)).isEmpty)
    }

    @Test func test_ASVS_6_1_1_throttlingDefaultsMatchTheDocumentation() throws {
        let source = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Sources/Tessera/Credentials/LoginThrottlePolicy.swift"), encoding: .utf8)
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let policy = LoginThrottlePolicy()
        for text in [source, readme] {
            #expect(text.contains("| account from one address | \(policy.accountAtAddress.freeFailures) | 1 s, doubling per failure | 15 min |"))
            #expect(text.contains("| one address, any account | \(policy.address.freeFailures) | 1 s, doubling per failure | 15 min |"))
            #expect(text.contains("| account from anywhere | \(policy.account.freeFailures) | 1 s, doubling per failure | 15 min |"))
            #expect(text.contains("forget after 24 hours without a failure"))
        }
        for rule in [policy.accountAtAddress, policy.address, policy.account] {
            #expect(rule.baseDelay == 1 && rule.maximumDelay == 900)
        }
        #expect(policy.forgetAfter == 86_400)
    }

    @Test func backoffDoublesAndCaps() {
        let rule = LoginThrottlePolicy.Rule(freeFailures: 2, baseDelay: 1, maximumDelay: 900)
        #expect((0...2).map(rule.delay(after:)) == [0, 0, 0])
        #expect([3, 4, 5, 6].map(rule.delay(after:)) == [1, 2, 4, 8])
        #expect(rule.delay(after: 1_000_000) == 900)
    }

    @Test func storedKeysNameNoAccountOrAddress() {
        let key = ThrottleKey(.accountAtAddress, "alice\u{0}203.0.113.7")
        #expect(key.bytes.count == 32)
        #expect(!key.description.contains("alice") && !key.description.contains("203"))
    }
}
