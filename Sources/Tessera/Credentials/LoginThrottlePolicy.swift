import Foundation

/// How hard failed logins slow further attempts. The defaults, and why:
///
/// | Counter | Free failures | Then the delay before the next try | Cap |
/// | --- | --- | --- | --- |
/// | account from one address | 5 | 1 s, doubling per failure | 15 min |
/// | one address, any account | 50 | 1 s, doubling per failure | 15 min |
/// | account from anywhere | 20 | 1 s, doubling per failure | 15 min |
///
/// Counters forget after 24 hours without a failure. Nothing ever locks an
/// account: the worst an attacker can do to a real user is make them wait
/// out a 15-minute delay, and a success from the user's own address clears
/// that address's counter (never the others', so an attacker can't reset
/// their own). Throttled attempts are answered 429 with `Retry-After` and
/// are not counted, and no password is checked while a delay runs.
public struct LoginThrottlePolicy: Sendable, Equatable {
    /// One counter's rule.
    public struct Rule: Sendable, Equatable {
        /// Failures allowed before any delay.
        public var freeFailures: Int
        /// The delay after the first failure beyond the free ones; it doubles with each further failure.
        public var baseDelay: TimeInterval
        /// The longest delay.
        public var maximumDelay: TimeInterval

        /// A rule.
        public init(freeFailures: Int, baseDelay: TimeInterval = 1, maximumDelay: TimeInterval = 900) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
        }

        /// The delay after `failures` consecutive failures.
        public func delay(after failures: Int) -> TimeInterval {
            guard failures > freeFailures else { return 0 }
            let doublings = min(failures - freeFailures - 1, 40)
            return min(baseDelay * pow(2, Double(doublings)), maximumDelay)
        }
    }

    /// Failures of one account from one address.
    public var accountAtAddress: Rule
    /// Failures from one address against any account (password spraying).
    public var address: Rule
    /// Failures of one account from every address (distributed guessing).
    public var account: Rule
    /// How long a counter lasts without a new failure.
    public var forgetAfter: TimeInterval

    /// The documented defaults.
    public init(
        accountAtAddress: Rule = Rule(freeFailures: 5), address: Rule = Rule(freeFailures: 50),
        account: Rule = Rule(freeFailures: 20), forgetAfter: TimeInterval = 86_400
    ) {
        self.accountAtAddress = accountAtAddress
        self.address = address
        self.account = account
        self.forgetAfter = forgetAfter
    }

    func rule(for scope: ThrottleKey.Scope) -> Rule {
        switch scope {
        case .accountAtAddress: accountAtAddress
        case .address: address
        case .account: account
        }
    }
}
