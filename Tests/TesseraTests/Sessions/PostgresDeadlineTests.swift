import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import TesseraPostgres

/// The PostgreSQL stores' per-operation deadline: its timer stops when the
/// operation answers. (A timer left running out its whole deadline after
/// every query kept thousands of them alive under load: serve on
/// PostgreSQL grew from 48 to 287 MiB in the benchmark.)
///
/// The timers are due in an hour, so only a cancellation can end them
/// within the time limit; no wall-clock bound, which a busy machine would break.
@Suite(.timeLimit(.minutes(2))) struct PostgresDeadlineTests {
    /// An hour-long timer on an event loop that records whether it fired.
    final class Timer: Sendable {
        final class Flag: Sendable {
            let value = Mutex(false)
        }
        private let flag = Flag()
        let scheduled: Scheduled<Void>
        var fired: Bool { flag.value.withLock { $0 } }

        init() {
            let flag = flag
            scheduled = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .hours(1)) { flag.value.withLock { $0 = true } }
        }

        /// Whether the timer ended by cancellation (waits for it to end).
        func endedByCancellation() async -> Bool {
            do {
                try await scheduled.futureResult.get()
                return false
            } catch {
                guard case .cancelled? = error as? EventLoopError else { return false }
                return !fired
            }
        }
    }

    @Test func disarmingStopsTheTimer() async {
        let deadline = Deadline()
        let timer = Timer()
        deadline.arm(timer.scheduled)
        deadline.disarm()
        #expect(await timer.endedByCancellation())
    }

    @Test func aTimerArmedAfterTheAnswerIsStoppedAtOnce() async {
        let deadline = Deadline()
        deadline.disarm()
        let timer = Timer()
        deadline.arm(timer.scheduled)
        #expect(await timer.endedByCancellation())
    }

    @Test func anArmedTimerRunsUntilDisarmed() async throws {
        let deadline = Deadline()
        let timer = Timer()
        deadline.arm(timer.scheduled)
        try await Task.sleep(for: .milliseconds(50))
        #expect(!timer.fired)
        deadline.disarm()
        #expect(await timer.endedByCancellation())
    }
}
