import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Tessera
import TesseraHummingbird
import TesseraSQLite

/// `tessera bench-server`: the app `scripts/bench-http.sh` drives with wrk.
///
/// One route per way of authenticating, each behind only its own
/// middleware, all answering the same tiny body: `/bare` (no Tessera at
/// all), `/noop3` (three middlewares that only pass the request on: what
/// Hummingbird's middleware chain costs by itself), `/signed-cookie`, `/sealed-session`, `/memory-session`,
/// `/sqlite-session`, `/jwt` and `/api-key`. Before serving it prints one
/// JSON line with a valid credential for each route, as the header to send.
struct BenchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-server",
        abstract: "Serve the HTTP benchmark's routes (used by scripts/bench-http.sh).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The port to listen on, on 127.0.0.1.")
    var port: Int = 8089

    @Option(name: .long, help: "The SQLite file of the SQLite-session route (created; deleted afterwards by the script).")
    var sqlite: String = "tessera-bench.db"

    func run() async throws {
        let ring = try KeyRing(single: SecretKey.generate())
        let cookieConfiguration = { (name: String) in SessionConfiguration(cookie: .init(name: name, secure: false)) }
        let memory = SessionManager(store: MemorySessionStore(), configuration: cookieConfiguration("memory"))
        let storage = try await SQLiteStorage.open(path: sqlite)
        let sqliteSessions = SessionManager(store: storage.sessions, configuration: cookieConfiguration("sqlite"))
        let sealed = SessionManager(sealingWith: ring, revocation: RevocationEpochs(store: MemoryRevocationEpochStore()),
                                    configuration: cookieConfiguration("sealed"))
        let userCookie = SignedUserCookie(ring: ring, name: "user", secure: false)
        let accessTokens = try AccessTokens(configuration: .init(issuer: "bench", audiences: ["bench"]),
                                            keys: JWTKeySet([try await .derived(from: ring.entries[0])]), denyList: MemoryTokenDenyList())
        let apiKeys = APIKeys(store: MemoryAPIKeyStore())

        var credentials: [String: String] = [
            "signed-cookie": "Cookie: " + Self.pair(try userCookie.setCookie(userID: "bench-user")),
            "jwt": "Authorization: Bearer " + (try await accessTokens.issue(subject: "bench-user")).token,
            "api-key": "X-API-Key: " + (try await apiKeys.create(owner: "bench-user", name: "bench")).key,
        ]
        for (name, manager) in [("memory-session", memory), ("sqlite-session", sqliteSessions), ("sealed-session", sealed)] {
            var session = try await manager.load(from: RequestCookies(header: ""))
            try await manager.logIn(&session, userID: "bench-user", method: "bench")
            credentials[name] = "Cookie: " + (try await manager.save(&session)).map(Self.pair).joined(separator: "; ")
        }

        let router = Router(context: BasicTesseraRequestContext.self)
        router.get("bare") { _, _ in "ok" }
        router.group("noop3").add(middleware: PassThrough()).add(middleware: PassThrough()).add(middleware: PassThrough()).get { _, _ in "ok" }
        router.group("signed-cookie")
            .add(middleware: SignedCookieAuthenticator(cookie: userCookie))
            .add(middleware: RequireAuthentication()).get { _, _ in "ok" }
        for (path, manager) in [("memory-session", memory), ("sqlite-session", sqliteSessions), ("sealed-session", sealed)] {
            router.group(RouterPath(path))
                .add(middleware: TesseraSessionMiddleware(manager: manager))
                .add(middleware: SessionAuthenticator())
                .add(middleware: RequireAuthentication()).get { _, _ in "ok" }
        }
        router.group("jwt")
            .add(middleware: JWTAuthenticator(accessTokens: accessTokens))
            .add(middleware: RequireAuthentication()).get { _, _ in "ok" }
        router.group("api-key")
            .add(middleware: APIKeyAuthenticator(keys: apiKeys))
            .add(middleware: RequireAuthentication()).get { _, _ in "ok" }

        let line = try JSONSerialization.data(withJSONObject: credentials, options: [.sortedKeys])
        FileHandle.standardOutput.write(line + Data("\n".utf8))
        var logger = Logger(label: "tessera.bench-server")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await app.runService()
        await storage.close()
    }

    /// `name=value` of a `Set-Cookie`.
    static func pair(_ cookie: SetCookie) -> String { "\(cookie.name)=\(cookie.value)" }
}

/// A middleware that does nothing but call the next one.
struct PassThrough<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await next(request, context)
    }
}
