import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import Tessera

/// Resumes a continuation from whichever of two tasks finishes first.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes with `value` if nobody has yet; returns whether this call did.
    @discardableResult
    func resume(_ value: Value) -> Bool {
        guard let continuation = continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(returning: value)
        return true
    }
}

/// The timer of one operation, stopped as soon as the operation answers:
/// without it every query would leave a timer running out the whole
/// deadline (thousands at a time under load, each holding memory).
///
/// The timer is a task scheduled on a SwiftNIO event loop, a heap entry
/// that costs far less than a Swift task sleeping on a dispatch timer
/// (which took a tenth of `tessera serve`'s CPU on PostgreSQL).
final class Deadline: Sendable {
    private let state = Mutex<(timer: Scheduled<Void>?, finished: Bool)>((nil, false))

    /// Hands over the timer; it is cancelled at once if the operation already answered.
    func arm(_ timer: Scheduled<Void>) {
        let answered = state.withLock { state in
            if state.finished { return true }
            state.timer = timer
            return false
        }
        if answered { timer.cancel() }
    }

    /// The operation answered: stop the timer.
    func disarm() {
        let timer = state.withLock { state in
            state.finished = true
            return state.timer.take()
        }
        timer?.cancel()
    }
}

/// Runs store queries with a deadline and turns every failure into a
/// ``StoreError`` that names no bound value.
struct PostgresExecutor: Sendable {
    let client: PostgresClient
    let timeout: Duration
    let logger: Logger
    /// Where the deadlines' timers run.
    let timers: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Fails operations at once for a moment after one missed its deadline.
    let breaker: PostgresCircuitBreaker

    init(client: PostgresClient, timeout: Duration, logger: Logger, breaker: PostgresCircuitBreaker = PostgresCircuitBreaker()) {
        self.client = client
        self.timeout = timeout
        self.logger = logger
        self.breaker = breaker
    }

    /// The failure a deadline's timer hands to the waiting caller.
    private struct DeadlineMissed: Error {}

    /// PostgreSQL's SQLSTATE for a unique-constraint violation.
    static let uniqueViolation = "23505"

    /// Runs `body` with the client, failing as unavailable after ``timeout``.
    ///
    /// The deadline holds even if the query ignores cancellation (a pool
    /// still retrying a dead server): the caller is answered at once and
    /// the abandoned query is cancelled in the background. For a moment
    /// after a missed deadline, operations fail at once (``PostgresCircuitBreaker``).
    func run<Result: Sendable>(_ action: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Result) async throws(StoreError) -> Result {
        let permission = breaker.permission()
        if permission == .refuse {
            throw .unavailable("PostgreSQL missed a deadline moments ago; not asked again for up to \(breaker.retryInterval) (\(action))")
        }
        let client = client
        let timeout = timeout
        let outcome: Swift.Result<Result, any Error> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let deadline = Deadline()
            let work = Task {
                let result: Swift.Result<Result, any Error>
                do { result = .success(try await body(client)) } catch { result = .failure(error) }
                deadline.disarm()
                once.resume(result)
            }
            deadline.arm(timers.any().scheduleTask(in: TimeAmount(timeout)) {
                if once.resume(.failure(DeadlineMissed())) {
                    work.cancel()
                }
            })
        }
        switch outcome {
        case .success(let result):
            breaker.answered()
            return result
        case .failure(let error) where error is DeadlineMissed:
            if breaker.missedDeadline() {
                logger.warning("PostgreSQL missed an operation's deadline; failing operations at once for \(breaker.retryInterval)",
                               metadata: ["action": "\(action)", "deadline": "\(timeout)"])
            }
            throw .unavailable("PostgreSQL did not answer within \(timeout) (\(action))")
        case .failure(let error):
            if Self.databaseAnswered(error) {
                breaker.answered()
            } else if permission == .probe {
                breaker.probeAbandoned()
            }
            throw Self.map(error, action: action)
        }
    }

    /// Whether a failure came from the database itself (an SQL error, or our
    /// own reading of its rows), rather than from not reaching it.
    private static func databaseAnswered(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError: error.code == .server
        case let error as PostgresTransactionError: error.closureError.map(databaseAnswered) ?? false
        case is StoreError: true
        default: false
        }
    }

    /// Runs one query and collects its rows.
    func query(_ action: String, _ query: PostgresQuery) async throws(StoreError) -> [PostgresRow] {
        try await run(action) { client in
            try await client.query(query, logger: logger).collect()
        }
    }

    private static func map(_ error: any Error, action: String) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return cause.map { map($0, action: action) } ?? .unavailable("PostgreSQL could not \(action) (transaction failed)")
        case let error as PSQLError:
            if error.serverInfo?[.sqlState] == uniqueViolation { return .duplicateKey }
            // Only the error code and the server's primary message: its
            // `detail` field can quote key values.
            let message = error.serverInfo?[.message].map { ": \($0)" } ?? ""
            return .unavailable("PostgreSQL could not \(action) (\(error.code)\(message))")
        default:
            return .unavailable("PostgreSQL could not \(action) (\(type(of: error)))")
        }
    }

}
