import Logging
import Testing
@testable import Tessera
@testable import TesseraPostgres

/// While PostgreSQL is down, store calls fail at once instead of each
/// waiting out the deadline; one probe at a time finds out when it is back.
@Suite struct PostgresCircuitBreakerTests {
    @Test func aMissedDeadlineRefusesUntilAProbeGetsAnAnswer() {
        let breaker = PostgresCircuitBreaker(retryInterval: .zero)
        #expect(breaker.permission() == .run)
        breaker.missedDeadline()
        // With a zero interval the next call is the probe; while it runs, the others are refused.
        #expect(breaker.permission() == .probe)
        #expect(breaker.permission() == .refuse)
        #expect(breaker.permission() == .refuse)
        breaker.answered()
        #expect(breaker.permission() == .run)
        #expect(breaker.permission() == .run)
    }

    @Test func aProbeThatMissesItsDeadlineOpensTheBreakerAgain() {
        let breaker = PostgresCircuitBreaker(retryInterval: .seconds(3600))
        breaker.missedDeadline()
        #expect(breaker.permission() == .refuse, "open for the interval")
        #expect(!breaker.missedDeadline(), "already open: nothing new to log")
        let reopened = PostgresCircuitBreaker(retryInterval: .zero)
        #expect(reopened.missedDeadline(), "closed to open")
        #expect(reopened.permission() == .probe)
        #expect(reopened.missedDeadline(), "probing to open")
        #expect(reopened.permission() == .probe, "the interval passed again, so one more probe")
    }

    @Test func anAbandonedProbeLetsTheNextCallProbe() {
        let breaker = PostgresCircuitBreaker(retryInterval: .zero)
        breaker.missedDeadline()
        #expect(breaker.permission() == .probe)
        breaker.probeAbandoned()
        #expect(breaker.permission() == .probe)
    }

    @Test func answersFromAClosedBreakerChangeNothing() {
        let breaker = PostgresCircuitBreaker(retryInterval: .seconds(3600))
        breaker.answered()
        breaker.probeAbandoned()
        #expect(breaker.permission() == .run)
    }

    /// Over a real client: the first call waits out its deadline against a
    /// port with no PostgreSQL behind it; the next fails at once with the
    /// breaker's reason, without a second wait.
    @Test func anUnreachableDatabaseIsAskedOnceThenRefusedAtOnce() async throws {
        var quiet = Logger(label: "tessera.test.postgres")
        quiet.logLevel = .critical
        let storage = try PostgresStorage(
            url: "postgres://nobody:secret-password@127.0.0.1:9/none?sslmode=disable",
            operationTimeout: .milliseconds(300), failFastInterval: .seconds(3600), logger: quiet
        )
        let runner = Task { try await storage.run() }
        defer { runner.cancel() }
        let lookup = try #require(SessionLookupKey(bytes: [UInt8](repeating: 7, count: SessionLookupKey.byteCount)))
        await #expect(throws: StoreError.unavailable("PostgreSQL did not answer within 0.3 seconds (load a session)")) {
            _ = try await storage.sessions.load(lookup)
        }
        do {
            _ = try await storage.sessions.load(lookup)
            Issue.record("a call while the breaker is open reached the database")
        } catch {
            guard case .unavailable(let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("missed a deadline moments ago"))
            #expect(!reason.contains("secret-password"))
        }
    }
}
