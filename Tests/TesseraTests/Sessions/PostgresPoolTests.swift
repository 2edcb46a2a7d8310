import Foundation
import Logging
import PostgresNIO
import Testing
@testable import TesseraPostgres

/// The storage's pool against the real server: a fixed number of
/// connections, opened at start and kept, and kept alive by the storage's
/// own pings (postgres-nio's per-lease timers are off; see
/// `PostgresStorage.configuration(url:poolSize:connectTimeout:)`).
@Suite struct PostgresPoolTests {
    @Test func aFixedPoolOpensItsConnectionsAtStartKeepsThemAndPingsThemWhenIdle() async throws {
        guard let url = TestPostgres.url else { throw TestPostgres.Missing() }
        let quiet = {
            var logger = Logger(label: "tessera.test.postgres")
            logger.logLevel = .error
            return logger
        }()
        let application = "tessera-pool-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = try PostgresStorage.configuration(url: url, poolSize: 3)
        configuration.options.additionalStartupParameters = [("application_name", application)]
        let storage = PostgresStorage(configuration: configuration, keepAliveInterval: .milliseconds(300), logger: quiet)
        let observer = try PostgresStorage(url: url, poolSize: 1, logger: quiet)

        /// The last statement of each of the storage's connections, as the server sees them.
        @Sendable func lastStatements() async throws -> [String] {
            let rows = try await observer.client.query(
                "SELECT query FROM pg_stat_activity WHERE application_name = \(application)", logger: quiet)
            var statements: [String] = []
            for try await statement in rows.decode(String.self) { statements.append(statement) }
            return statements
        }
        /// Polls `condition` for up to 20 s (the server and the suite may be busy).
        @Sendable func eventually(_ condition: ([String]) -> Bool) async throws -> [String] {
            var statements = try await lastStatements()
            for _ in 0..<100 where !condition(statements) {
                try await Task.sleep(for: .milliseconds(200))
                statements = try await lastStatements()
            }
            return statements
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await storage.run() }
            group.addTask { try await observer.run() }
            defer { group.cancelAll() }

            // All three open with no query asked of the storage.
            let opened = try await eventually { $0.count == 3 }
            #expect(opened.count == 3, "connections open at start: \(opened)")

            // Twenty queries at once are served by the same three, not more.
            try await withThrowingDiscardingTaskGroup { queries in
                for _ in 0..<20 {
                    queries.addTask {
                        _ = try await storage.executor.query("test the pool", "SELECT pg_sleep(0.01), 2 AS marker")
                    }
                }
            }
            #expect(try await lastStatements().count == 3)

            // Left idle, each connection gets the storage's ping.
            let pinged = try await eventually { $0.count == 3 && $0.allSatisfy { $0 == "SELECT 1" } }
            #expect(pinged == ["SELECT 1", "SELECT 1", "SELECT 1"], "last statement of each connection: \(pinged)")
        }
    }
}
