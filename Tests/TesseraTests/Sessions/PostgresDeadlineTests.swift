import Foundation
import Testing
@testable import TesseraPostgres

/// The PostgreSQL stores' per-operation deadline: its timer stops when the
/// operation answers. (A timer left sleeping out its whole deadline after
/// every query kept thousands of tasks alive under load: serve on
/// PostgreSQL grew from 48 to 287 MiB in the benchmark.)
@Suite struct PostgresDeadlineTests {
    static func sleeper() -> Task<Void, Never> {
        Task {
            do { try await Task.sleep(for: .seconds(60)) } catch { return }
        }
    }

    @Test func disarmingStopsTheTimer() async {
        let deadline = Deadline()
        let timer = Self.sleeper()
        deadline.arm(timer)
        deadline.disarm()
        let started = ContinuousClock.now
        await timer.value
        #expect(timer.isCancelled)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func aTimerArmedAfterTheAnswerIsStoppedAtOnce() async {
        let deadline = Deadline()
        deadline.disarm()
        let timer = Self.sleeper()
        deadline.arm(timer)
        await timer.value
        #expect(timer.isCancelled)
    }

    @Test func anArmedTimerRunsUntilDisarmed() async throws {
        let deadline = Deadline()
        let timer = Self.sleeper()
        deadline.arm(timer)
        try await Task.sleep(for: .milliseconds(50))
        #expect(!timer.isCancelled)
        deadline.disarm()
        await timer.value
    }
}
