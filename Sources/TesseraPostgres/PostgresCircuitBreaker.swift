import Synchronization

/// Fails store operations at once while PostgreSQL is known to be down,
/// instead of letting each one wait out the whole deadline.
///
/// When an operation misses its deadline the breaker opens: for
/// ``retryInterval`` every operation fails as unavailable without asking
/// the database. After that one operation is let through as a probe, while
/// the others keep failing fast; the probe's answer closes the breaker, and
/// its missed deadline opens it again. A request that needs the store gets
/// its 503 in microseconds rather than seconds, and a database that is down
/// is not met with a pile of waiting requests. Only a missed deadline
/// counts: an SQL error means the database answered.
final class PostgresCircuitBreaker: Sendable {
    /// How long the breaker stays open before it lets a probe through.
    let retryInterval: Duration
    private let clock = ContinuousClock()
    private let state = Mutex(State.closed)

    private enum State {
        case closed
        case open(until: ContinuousClock.Instant)
        case probing
    }

    /// What an operation may do.
    enum Permission: Equatable {
        /// Run: the breaker is closed.
        case run
        /// Run as the probe of an open breaker; report its outcome.
        case probe
        /// Fail at once: the database missed a deadline moments ago.
        case refuse
    }

    init(retryInterval: Duration = .seconds(1)) {
        self.retryInterval = retryInterval
    }

    /// Asks whether an operation may run now.
    func permission() -> Permission {
        state.withLock { state in
            switch state {
            case .closed:
                // The common case reads no clock.
                return .run
            case .open(let until) where clock.now >= until:
                state = .probing
                return .probe
            case .open, .probing:
                return .refuse
            }
        }
    }

    /// An operation got an answer from the database (a row, or an SQL error).
    func answered() {
        state.withLock { state in
            if case .closed = state { return }
            state = .closed
        }
    }

    /// An operation missed its deadline: the database is not answering.
    /// Returns whether this opened the breaker (it was closed or probing),
    /// so an outage is logged once, not once per waiting request.
    @discardableResult
    func missedDeadline() -> Bool {
        let until = clock.now.advanced(by: retryInterval)
        return state.withLock { state in
            let opened: Bool
            if case .open = state { opened = false } else { opened = true }
            state = .open(until: until)
            return opened
        }
    }

    /// A probe ended without an answer or a missed deadline (it was
    /// cancelled): let the next operation probe again.
    func probeAbandoned() {
        state.withLock { state in
            if case .probing = state { state = .open(until: clock.now) }
        }
    }
}
