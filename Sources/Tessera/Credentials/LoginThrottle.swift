import Foundation

/// Whether a login attempt may go ahead.
public enum ThrottleDecision: Sendable, Equatable {
    /// Check the password.
    case allowed
    /// Answer 429 with `Retry-After: retryAfter` (whole seconds); check nothing.
    case throttled(retryAfter: Int)
}

/// Login throttling per account, per client address and per both, with
/// exponential backoff, kept in a ``LoginThrottleStore`` so every app
/// server sharing the store applies the same counts. See
/// ``LoginThrottlePolicy`` for the policy and why no one is locked out.
public struct LoginThrottle: Sendable {
    /// The rules.
    public let policy: LoginThrottlePolicy
    /// Where counters live.
    public let store: any LoginThrottleStore
    private let clock: any WallClock

    /// Throttling under `policy`, counting in `store`.
    public init(policy: LoginThrottlePolicy = LoginThrottlePolicy(), store: any LoginThrottleStore, clock: any WallClock = SystemWallClock()) {
        self.policy = policy
        self.store = store
        self.clock = clock
    }

    /// The three counters of an attempt. Account names compare case-insensitively.
    static func keys(account: String, address: String) -> [ThrottleKey] {
        let account = account.lowercased()
        return [
            ThrottleKey(.accountAtAddress, account + "\u{0}" + address),
            ThrottleKey(.address, address),
            ThrottleKey(.account, account),
        ]
    }

    /// Whether an attempt for `account` from `address` may check a password now.
    public func check(account: String, address: String) async throws(StoreError) -> ThrottleDecision {
        let now = clock.now()
        let keys = Self.keys(account: account, address: address)
        let counters = try await store.counters(for: keys, notBefore: now.addingTimeInterval(-policy.forgetAfter))
        return decision(keys, counters, now: now)
    }

    /// Counts a failed attempt and returns what the next attempt will meet.
    @discardableResult
    public func recordFailure(account: String, address: String) async throws(StoreError) -> ThrottleDecision {
        let now = clock.now()
        let keys = Self.keys(account: account, address: address)
        let counters = try await store.recordFailure(for: keys, at: now, notBefore: now.addingTimeInterval(-policy.forgetAfter))
        return decision(keys, counters, now: now)
    }

    /// Clears the account-at-address counter after a successful login. The
    /// address and account counters stay: one success must not buy an
    /// attacker fresh attempts elsewhere.
    public func recordSuccess(account: String, address: String) async throws(StoreError) {
        try await store.reset([Self.keys(account: account, address: address)[0]])
    }

    /// The longest delay any of `keys` imposes. Scopes come from `keys`
    /// (a store may hand back keys rebuilt from bytes alone).
    private func decision(_ keys: [ThrottleKey], _ counters: [ThrottleKey: ThrottleCounter], now: Date) -> ThrottleDecision {
        var wait: TimeInterval = 0
        for key in keys {
            guard let counter = counters[key] else { continue }
            let until = counter.lastFailureAt.addingTimeInterval(policy.rule(for: key.scope).delay(after: counter.failures))
            wait = max(wait, until.timeIntervalSince(now))
        }
        return wait > 0 ? .throttled(retryAfter: Int(wait.rounded(.up))) : .allowed
    }
}
