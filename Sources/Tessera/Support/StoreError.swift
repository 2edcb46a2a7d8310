/// Why a store could not do what was asked.
///
/// Every Tessera store (sessions, API keys, refresh tokens, one-time tokens,
/// login-throttling counters, the token deny-list) reports failures with it. Messages name the
/// problem and what to do; they never contain a session ID, a token, a lookup
/// key or a secret.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The backend can't be reached or failed; the request must fail (503), not pass.
    case unavailable(String)
    /// The store is full; a request that needs a new record must fail (503).
    case capacityExceeded(limit: Int)
    /// A record with this key already exists.
    case duplicateKey
    /// A stored record could not be decoded.
    case corruptRecord(String)

    public var description: String {
        switch self {
        case .unavailable(let reason):
            "store unavailable: \(reason)"
        case .capacityExceeded(let limit):
            "store full (\(limit) records): raise its capacity or shorten the lifetimes of what it keeps"
        case .duplicateKey:
            "a record with this key already exists"
        case .corruptRecord(let reason):
            "a stored record could not be read: \(reason)"
        }
    }
}
