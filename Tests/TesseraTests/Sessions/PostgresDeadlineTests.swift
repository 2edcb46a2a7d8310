import Foundation
import Synchronization
import Testing
@testable import TesseraPostgres

/// The PostgreSQL stores' per-operation deadline: its timer stops when the
/// operation answers. (A timer left sleeping out its whole deadline after
/// every query kept thousands of tasks alive under load: serve on
/// PostgreSQL grew from 48 to 287 MiB in the benchmark.)
///
/// The timers sleep for an hour, so only a cancellation can end them within
/// the time limit; no wall-clock bound, which a busy machine would break.
@Suite(.timeLimit(.minutes(2))) struct PostgresDeadlineTests {
    /// A timer that records whether its sleep ended by cancellation.
    final class Sleeper: Sendable {
        let cancelled = Mutex(false)

        func sleep() async {
            do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.withLock { $0 = true } }
        }

        /// Starts the timer task.
        func start() -> Task<Void, Never> {
            Task { await self.sleep() }
        }
    }

    @Test func disarmingStopsTheTimer() async {
        let deadline = Deadline()
        let sleeper = Sleeper()
        let timer = sleeper.start()
        deadline.arm(timer)
        deadline.disarm()
        await timer.value
        #expect(sleeper.cancelled.withLock { $0 })
    }

    @Test func aTimerArmedAfterTheAnswerIsStoppedAtOnce() async {
        let deadline = Deadline()
        deadline.disarm()
        let sleeper = Sleeper()
        let timer = sleeper.start()
        deadline.arm(timer)
        await timer.value
        #expect(sleeper.cancelled.withLock { $0 })
    }

    @Test func anArmedTimerRunsUntilDisarmed() async throws {
        let deadline = Deadline()
        let sleeper = Sleeper()
        let timer = sleeper.start()
        deadline.arm(timer)
        try await Task.sleep(for: .milliseconds(50))
        #expect(!timer.isCancelled)
        deadline.disarm()
        await timer.value
        #expect(sleeper.cancelled.withLock { $0 })
    }
}
