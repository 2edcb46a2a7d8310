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
    ///
    /// A configuration from ``configuration(url:poolSize:connectTimeout:)``
    /// is a fixed pool; with one of your own, prefer the same (see there why).
    /// When the configuration turns postgres-nio's keep-alive off, ``run()``
    /// pings the `minimumConnections` every `keepAliveInterval` itself.
    public init(
        configuration: PostgresClient.Configuration, operationTimeout: Duration = .seconds(5),
        failFastInterval: Duration = .seconds(1), keepAliveInterval: Duration = PostgresStorage.defaultKeepAliveInterval,
        logger: Logger = Logger(label: "tessera.postgres")
    ) {
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        keepAliveConnections = configuration.options.keepAliveBehavior == nil ? configuration.options.minimumConnections : 0
        self.keepAliveInterval = keepAliveInterval
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

    /// Creates storage from a URL (see ``configuration(url:poolSize:connectTimeout:)``).
    /// - Throws: ``StoreError/unavailable(_:)`` for a malformed URL;
    ///   the message never repeats the password.
    public convenience init(
        url: String, poolSize: Int? = nil, operationTimeout: Duration = .seconds(5),
        failFastInterval: Duration = .seconds(1), logger: Logger = Logger(label: "tessera.postgres")
    ) throws(StoreError) {
        let configuration = try Self.configuration(url: url, poolSize: poolSize, connectTimeout: operationTimeout)
        self.init(configuration: configuration, operationTimeout: operationTimeout, failFastInterval: failFastInterval, logger: logger)
    }

    /// The pool size when neither the URL's `pool_size` nor the caller names one.
    public static let defaultPoolSize = 10

    /// How often idle pooled connections are sent a `SELECT 1`, so that a
    /// firewall or NAT between here and the database does not drop them.
    public static let defaultKeepAliveInterval: Duration = .seconds(30)

    /// The client configuration a URL describes:
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require&pool_size=N`
    /// (`sslmode=prefer` when absent; `require` verifies the server certificate).
    ///
    /// The pool is fixed: `poolSize` connections (else the URL's
    /// `pool_size`, else ``defaultPoolSize``) are opened at start and kept,
    /// and reopened if they close. A growing and shrinking pool starts an
    /// idle timer and a keep-alive timer each time a connection goes back
    /// to it, and on Linux each cancelled timer keeps its task's memory
    /// until its deadline would have passed (60 and 30 seconds later):
    /// at a few thousand queries a second that was over 200 MiB. Instead
    /// ``run()`` pings every connection once per ``defaultKeepAliveInterval``.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` naming what is wrong with the
    ///   URL, its `sslmode` or a pool size outside 1...``maximumPoolSize``;
    ///   the message never repeats the password.
    public static func configuration(url: String, poolSize: Int? = nil, connectTimeout: Duration = .seconds(5)) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user
        else {
            throw .unavailable("a PostgreSQL URL looks like postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let parameters = components.queryItems ?? []
        let tls: PostgresClient.Configuration.TLS
        switch parameters.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw .unavailable("sslmode must be disable, prefer or require")
        }
        // The URL's pool_size is checked even when the caller's size wins,
        // so that a mistake in it shows wherever the URL is used.
        var urlSize: Int?
        if let item = parameters.first(where: { $0.name == "pool_size" }) {
            guard let value = item.value.flatMap({ Int($0) }) else {
                throw .unavailable("pool_size must be a whole number of connections from 1 to \(maximumPoolSize)")
            }
            urlSize = value
        }
        let size = poolSize ?? urlSize ?? defaultPoolSize
        if let bad = [urlSize, size].compactMap({ $0 }).first(where: { !(1...maximumPoolSize).contains($0) }) {
            throw .unavailable("pool_size must be a whole number of connections from 1 to \(maximumPoolSize), not \(bad)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.minimumConnections = size
        configuration.options.maximumConnections = size
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// The largest `pool_size` accepted (PostgreSQL's own default
    /// `max_connections` is 100, shared by every server).
    public static let maximumPoolSize = 100

    /// Runs the connection pool until cancelled or graceful shutdown, and
    /// for a fixed pool without postgres-nio's keep-alive (what
    /// ``configuration(url:poolSize:connectTimeout:)`` makes), pings its
    /// connections every keep-alive interval (see ``init(configuration:operationTimeout:failFastInterval:keepAliveInterval:logger:)``).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.client.run() }
                if self.keepAliveConnections > 0 {
                    group.addTask { await self.keepConnectionsAlive() }
                }
            }
        }
    }

    /// How many connections each keep-alive round pings at once (the fixed
    /// pool's size), or 0 when the pool keeps itself alive.
    private let keepAliveConnections: Int
    /// The time between two keep-alive rounds.
    private let keepAliveInterval: Duration

    /// One `SELECT 1` per pooled connection every keep-alive interval,
    /// sent together so that the pool hands each to a different connection.
    /// A busy pool just queues them. Failures are the store calls' own
    /// (deadline, circuit breaker) and need no handling here.
    private func keepConnectionsAlive() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: keepAliveInterval) } catch { return }
            await withDiscardingTaskGroup { group in
                for _ in 0..<keepAliveConnections {
                    group.addTask {
                        _ = try? await self.executor.run("keep its connections alive") { client in
                            try await client.query("SELECT 1", logger: self.executor.logger).collect()
                        }
                    }
                }
            }
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
