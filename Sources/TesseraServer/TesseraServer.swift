public import Hummingbird
public import Logging
import Mustache
public import Prometheus
import Tessera
import TesseraHummingbird

/// The standalone auth server: login pages, the account page, the JSON
/// API, forward auth for reverse proxies, health and metrics, over one
/// ``ServerServices``.
///
/// ```swift
/// let server = try TesseraServer(services: services, metrics: registry)
/// let app = server.application(logger: logger)
/// try await app.runService()
/// ```
public struct TesseraServer: Sendable {
    /// The wired core.
    public let services: ServerServices
    /// Where `/metrics` reads from; `nil` serves no `/metrics`.
    public let metrics: PrometheusCollectorRegistry?
    private let templates: MustacheLibrary

    /// A server over `services`.
    public init(services: ServerServices, metrics: PrometheusCollectorRegistry? = nil) throws {
        self.services = services
        self.metrics = metrics
        self.templates = try PageTemplates.library()
    }

    /// Every route, behind the session, the authenticators and the CSRF check.
    public func router() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        // Only what is configured runs on every request.
        if !services.configuration.trustedProxies.isEmpty {
            router.add(middleware: TrustedProxyAddress(trustedProxies: Set(services.configuration.trustedProxies)))
        }
        if !services.configuration.corsOrigins.isEmpty {
            router.add(middleware: CORSPolicy(allowedOrigins: Set(services.configuration.corsOrigins)))
        }
        router.add(middleware: TesseraSessionMiddleware(manager: services.sessions, audit: services.audit))
        router.add(middleware: SessionAuthenticator())
        router.add(middleware: JWTAuthenticator(accessTokens: services.accessTokens))
        router.add(middleware: APIKeyAuthenticator(keys: services.apiKeys))
        let origin = CSRFOrigin(Self.origin(of: services.configuration))
        router.add(middleware: CSRFMiddleware(protection: services.csrf, serverOrigin: origin, audit: services.audit))

        OperationsRoutes(services: services, registry: metrics).register(on: router)
        ForwardAuthRoute(services: services).register(on: router.group().add(middleware: RequireAuthentication()))
        PageRoutes(services: services, library: templates).register(on: router)

        let api = router.group("api").add(middleware: RequireJSONContentType())
        let open = api.group()
        SessionRoutes(services: services).register(open: open, authenticated: api.group().add(middleware: RequireAuthentication()))
        SessionDataRoutes().register(on: open)
        TokenRoutes(services: services).register(api: open, root: router)
        AccountRoutes(services: services).register(on: api.group().add(middleware: RequireAuthentication()))
        return router
    }

    /// The Hummingbird application listening where the configuration says.
    public func application(logger: Logger) -> some ApplicationProtocol {
        let configuration = services.configuration
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tessera"),
            logger: logger)
    }

    /// `scheme://host[:port]` of the public URL.
    static func origin(of configuration: ServerConfiguration) -> String {
        let url = configuration.resolvedPublicURL
        let scheme = url.scheme?.lowercased() ?? "http"
        let host = url.host ?? configuration.host
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)"
    }
}
