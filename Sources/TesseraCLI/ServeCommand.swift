import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Tessera
import TesseraServer

/// `tessera serve`: the standalone auth server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the auth server: login and account pages, the JSON API, forward auth, /healthz and /metrics.",
        discussion: """
        With no options it listens on http://127.0.0.1:8080 and keeps everything in ./tessera-data: the SQLite \
        store, the key ring and the token-signing key (created on first start, mode 0600). On first start with \
        no users it creates the user admin and prints its password once.
        Every option also comes from the environment (TESSERA_PORT, TESSERA_DATA_DIR, …) and from a JSON \
        file (--config), by the same names.
        Examples:
          tessera serve
          tessera serve --port 9000 --store postgres://tessera:secret@db:5432/tessera
          tessera serve --public-url https://auth.example.com --cookie-domain example.com --cors-origin https://app.example.com
        """
    )

    @OptionGroup var options: ServerOptions

    @Option(name: .long, help: "The address to listen on (default 127.0.0.1). Env: TESSERA_HOST.")
    var host: String?

    @Option(name: .long, help: "The port to listen on (default 8080). Env: TESSERA_PORT.")
    var port: Int?

    @Option(name: .long, help: "The URL users reach the server at (default http://HOST:PORT); https makes cookies Secure. Env: TESSERA_PUBLIC_URL.")
    var publicURL: String?

    @Option(name: .long, help: "Share the session cookie with this domain's subdomains. Env: TESSERA_COOKIE_DOMAIN.")
    var cookieDomain: String?

    @Option(name: [.customLong("allowed-redirect-host"), .customLong("allowed-redirect-hosts")],
            help: "A host /login?rd= may return to (repeatable). Env: TESSERA_ALLOWED_REDIRECT_HOSTS, comma-separated.")
    var allowedRedirectHosts: [String] = []

    @Option(name: [.customLong("cors-origin"), .customLong("cors-origins")],
            help: "An origin allowed credentialed CORS calls, e.g. https://app.example.com (repeatable). Env: TESSERA_CORS_ORIGINS.")
    var corsOrigins: [String] = []

    @Option(name: [.customLong("trusted-proxy"), .customLong("trusted-proxies")],
            help: "A reverse proxy's address whose X-Forwarded-For names the client (repeatable). Env: TESSERA_TRUSTED_PROXIES.")
    var trustedProxies: [String] = []

    @Option(name: .long, help: "Seconds a rotated refresh token still yields the same successor (default 30, 0-300). Env: TESSERA_REFRESH_GRACE_SECONDS.")
    var refreshGraceSeconds: Int?

    @Option(name: .long, help: "trace, debug, info, notice, warning or error (default info). Env: TESSERA_LOG_LEVEL.")
    var logLevel: String?

    func run() async throws {
        var extra: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { extra["host"] = ConfigValue(.string(host), isSecret: false) }
        if let port { extra["port"] = ConfigValue(.int(port), isSecret: false) }
        if let publicURL { extra["public-url"] = ConfigValue(.string(publicURL), isSecret: false) }
        if let cookieDomain { extra["cookie-domain"] = ConfigValue(.string(cookieDomain), isSecret: false) }
        if !allowedRedirectHosts.isEmpty { extra["allowed-redirect-hosts"] = ConfigValue(.stringArray(allowedRedirectHosts), isSecret: false) }
        if !trustedProxies.isEmpty { extra["trusted-proxies"] = ConfigValue(.stringArray(trustedProxies), isSecret: false) }
        if !corsOrigins.isEmpty { extra["cors-origins"] = ConfigValue(.stringArray(corsOrigins), isSecret: false) }
        if let refreshGraceSeconds { extra["refresh-grace-seconds"] = ConfigValue(.int(refreshGraceSeconds), isSecret: false) }
        let configuration = try await options.configuration(extra: extra)

        let levelText = logLevel ?? ProcessInfo.processInfo.environment["TESSERA_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else { throw ValidationError("--log-level must be trace, debug, info, notice, warning or error") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "tessera.serve")

        let keys = try ServerKeys.loadOrCreate(in: configuration.dataDirectory, logger: logger)
        let (storage, prepare) = try await ServerStorage.open(at: configuration.resolvedStore, logger: logger)
        let services = try await ServerServices(configuration: configuration, storage: storage, keys: keys, logger: logger)
        let server = try TesseraServer(services: services, metrics: registry)
        logger.info("store: \(configuration.resolvedStore), public URL: \(configuration.resolvedPublicURL.absoluteString)")

        let main = ServerService(prepare: prepare, services: services, application: server.application(logger: logger), logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: storage.services.map { .init(service: $0) } + [.init(service: main, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        await storage.close()
    }
}

/// Migrates the store, creates the first administrator if there is no
/// user, then serves until graceful shutdown.
struct ServerService<App: ApplicationProtocol>: Service {
    let prepare: @Sendable () async throws -> Void
    let services: ServerServices
    let application: App
    let logger: Logger

    func run() async throws {
        try await prepare()
        if let password = try await services.createFirstAdministrator() {
            // Standard output, once: never the log, which may be shipped elsewhere.
            FileHandle.standardOutput.write(Data("""
            Created the first user. Sign in at \(services.configuration.resolvedPublicURL.absoluteString)/login
            admin password: \(password)
            (shown only now; change it on the account page)

            """.utf8))
        }
        try await application.run()
    }
}
