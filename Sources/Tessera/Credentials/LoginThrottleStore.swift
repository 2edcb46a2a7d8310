import Crypto
import Foundation

/// What a throttling counter counts: failures of one account, of one client
/// address, or of one account from one address.
///
/// Stores see only a SHA-256 of the scope and value, so a throttling table
/// holds no user names or addresses.
public struct ThrottleKey: Hashable, Sendable, CustomStringConvertible {
    /// Which counter this is.
    public enum Scope: String, Sendable, CaseIterable {
        /// Failures against one account, from anywhere.
        case account
        /// Failures from one client address, against any account.
        case address
        /// Failures against one account from one address.
        case accountAtAddress = "account@address"
    }

    /// The scope, kept for policy lookups; not stored.
    public let scope: Scope
    /// SHA-256 of the scope and the value: the stored key (32 bytes).
    public let bytes: [UInt8]

    /// The key for `value` (an account name, an address, or both) in `scope`.
    public init(_ scope: Scope, _ value: String) {
        self.scope = scope
        var hash = SHA256()
        hash.update(data: Array(scope.rawValue.utf8))
        hash.update(data: [0])
        hash.update(data: Array(value.utf8))
        self.bytes = Array(hash.finalize())
    }

    /// Rebuilds a key read back from a store.
    public init(scope: Scope, bytes: [UInt8]) {
        self.scope = scope
        self.bytes = bytes
    }

    public static func == (lhs: ThrottleKey, rhs: ThrottleKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// The scope and the first 4 bytes of the hash: enough to correlate log lines.
    public var description: String {
        "\(scope.rawValue):" + Hex.encode(bytes.prefix(4))
    }
}

/// Consecutive failures under one ``ThrottleKey``.
public struct ThrottleCounter: Sendable, Equatable {
    /// Failures since the counter last started.
    public var failures: Int
    /// When the latest failure happened.
    public var lastFailureAt: Date

    /// Creates a counter.
    public init(failures: Int, lastFailureAt: Date) {
        self.failures = failures
        self.lastFailureAt = lastFailureAt
    }
}

/// Where login-throttling counters live, so that throttling holds across
/// every app server that shares the store.
///
/// A counter whose last failure is older than the caller's `cutoff` is
/// forgotten: it reads as absent, and the next failure starts it again at
/// one. Each method is one round trip and atomic on its own.
public protocol LoginThrottleStore: Sendable {
    /// The live counters among `keys` (last failure at or after `cutoff`).
    func counters(for keys: [ThrottleKey], notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter]

    /// Adds one failure at `date` to each of `keys` (starting again at one
    /// where the counter is absent or older than `cutoff`) and returns the
    /// new counters.
    ///
    /// A key listed twice is counted once: one failed attempt is one
    /// failure. Concurrent calls from any number of servers must never lose
    /// a failure (each call is an atomic read-modify-write per key).
    func recordFailure(for keys: [ThrottleKey], at date: Date, notBefore cutoff: Date) async throws(StoreError) -> [ThrottleKey: ThrottleCounter]

    /// Deletes the counters of `keys`.
    func reset(_ keys: [ThrottleKey]) async throws(StoreError)

    /// Deletes at most `limit` counters whose last failure is before `cutoff`; returns how many went.
    func deleteExpired(before cutoff: Date, limit: Int) async throws(StoreError) -> Int
}
