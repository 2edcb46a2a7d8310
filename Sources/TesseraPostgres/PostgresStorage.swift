import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle
import Tessera

/// Tessera's tables in PostgreSQL: the store for many app servers sharing
/// one set of sessions.
///
/// It holds a pooled `PostgresClient`, which must run for the storage to
/// work: add the storage to your `ServiceGroup` (it is a `Service`) or call
/// ``run()`` in a task. ``migrate()`` creates or upgrades the schema; many
/// servers may call it at once (an advisory lock serialises them).
///
/// ```swift
/// let storage = try PostgresStorage(url: "postgres://app:secret@db:5432/app?sslmode=require")
/// let sessions = SessionManager(store: storage.sessions)
/// let apiKeys = storage.apiKeys        // and loginThrottle, refreshTokens, tokenDenyList, oneTimeTokens, users
/// let group = ServiceGroup(services: [storage, server], logger: logger)
/// try await storage.migrate()   // once the group runs
/// ```
public final class PostgresStorage: Service, Sendable {
    /// The connection pool.
    public let client: PostgresClient
    /// The session store over this database.
    public let sessions: PostgresSessionStore
    /// The revocation epochs over this database (for sealed-cookie sessions).
    public let revocationEpochs: PostgresRevocationEpochStore
    /// The API key records over this database (hashes only, never keys).
    public let apiKeys: PostgresAPIKeyStore
    /// The login-throttling counters over this database, shared by every app server.
    public let loginThrottle: PostgresLoginThrottleStore
    /// The refresh-token records over this database (hashes only, never tokens).
    public let refreshTokens: PostgresRefreshTokenStore
    /// The deny-list of token IDs over this database.
    public let tokenDenyList: PostgresTokenDenyList
    /// The one-time (reset, activation, verification) token records over this database (hashes only, never tokens).
    public let oneTimeTokens: PostgresOneTimeTokenStore
    /// The user accounts over this database.
    public let users: PostgresUserStore
    let executor: PostgresExecutor

    /// Creates storage over a client configuration. Each store call fails
    /// with ``StoreError/unavailable(_:)`` if it takes longer than
    /// `operationTimeout` (a database that is down or unreachable), and for
    /// `failFastInterval` after such a timeout every call fails at once,
    /// until one call let through gets an answer again.
    public init(
        configuration: PostgresClient.Configuration, operationTimeout: Duration = .seconds(5),
        failFastInterval: Duration = .seconds(1), logger: Logger = Logger(label: "tessera.postgres")
    ) {
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        executor = PostgresExecutor(client: client, timeout: operationTimeout, logger: logger,
                                    breaker: PostgresCircuitBreaker(retryInterval: failFastInterval))
        sessions = PostgresSessionStore(executor: executor)
        revocationEpochs = PostgresRevocationEpochStore(executor: executor)
        apiKeys = PostgresAPIKeyStore(executor: executor)
        loginThrottle = PostgresLoginThrottleStore(executor: executor)
        refreshTokens = PostgresRefreshTokenStore(executor: executor)
        tokenDenyList = PostgresTokenDenyList(executor: executor)
        oneTimeTokens = PostgresOneTimeTokenStore(executor: executor)
        users = PostgresUserStore(executor: executor)
    }

    /// Creates storage from a URL (see ``configuration(url:maximumConnections:connectTimeout:)``).
    /// - Throws: ``StoreError/unavailable(_:)`` for a malformed URL;
    ///   the message never repeats the password.
    public convenience init(
        url: String, maximumConnections: Int = 20, operationTimeout: Duration = .seconds(5),
        failFastInterval: Duration = .seconds(1), logger: Logger = Logger(label: "tessera.postgres")
    ) throws(StoreError) {
        let configuration = try Self.configuration(url: url, maximumConnections: maximumConnections, connectTimeout: operationTimeout)
        self.init(configuration: configuration, operationTimeout: operationTimeout, failFastInterval: failFastInterval, logger: logger)
    }

    /// The client configuration a URL describes:
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require`
    /// (`prefer` when absent; `require` verifies the server certificate).
    public static func configuration(url: String, maximumConnections: Int = 20, connectTimeout: Duration = .seconds(5)) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user
        else {
            throw .unavailable("a PostgreSQL URL looks like postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let tls: PostgresClient.Configuration.TLS
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw .unavailable("sslmode must be disable, prefer or require")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// Runs the connection pool until cancelled or graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.client.run()
        }
    }

    /// Creates or upgrades Tessera's tables. Safe to call from many servers at once.
    public func migrate() async throws(StoreError) {
        try await PostgresSchema.migrate(executor)
    }

    /// Applies the migrations only up to `schemaVersion`: how tests make a
    /// database as an older Tessera left it.
    func migrate(upTo schemaVersion: Int) async throws(StoreError) {
        try await PostgresSchema.migrate(executor, upTo: schemaVersion)
    }
}
