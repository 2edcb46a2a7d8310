import Logging
import PostgresNIO
import Tessera

/// Runs store queries with a deadline and turns every failure into a
/// ``SessionStoreError`` that names no bound value.
struct PostgresExecutor: Sendable {
    let client: PostgresClient
    let timeout: Duration
    let logger: Logger

    /// PostgreSQL's SQLSTATE for a unique-constraint violation.
    static let uniqueViolation = "23505"

    /// Runs `body` with the client, failing as unavailable after ``timeout``.
    func run<Result: Sendable>(_ action: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Result) async throws(SessionStoreError) -> Result {
        let client = client
        let timeout = timeout
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask { try await body(client) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw SessionStoreError.unavailable("PostgreSQL did not answer within \(timeout) (\(action))")
                }
                return result
            }
        } catch {
            throw Self.map(error, action: action)
        }
    }

    private static func map(_ error: any Error, action: String) -> SessionStoreError {
        switch error {
        case let error as SessionStoreError:
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

    /// Runs one query and collects its rows.
    func query(_ action: String, _ query: PostgresQuery) async throws(SessionStoreError) -> [PostgresRow] {
        try await run(action) { client in
            try await client.query(query, logger: logger).collect()
        }
    }
}
