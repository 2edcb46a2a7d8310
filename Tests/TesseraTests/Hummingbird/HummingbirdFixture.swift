import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import Tessera
@testable import TesseraHummingbird

/// A router with every Tessera authenticator and guard, over real
/// in-memory stores, and the helpers the HTTP tests share.
struct HummingbirdFixture: Sendable {
    static let origin = "http://app.test"
    let clock = ManualWallClock(Date())
    let sessionStore = MemorySessionStore()
    let apiKeyStore = MemoryAPIKeyStore()
    let denyList = MemoryTokenDenyList()
    let ring = TestKeys.ring("k1")
    let users = MemoryCredentialDirectory()
    let audit: AuditLog
    let logs: CapturedLogs

    init() {
        logs = CapturedLogs()
        audit = AuditLog(logger: logs.logger)
    }

    var sessions: SessionManager {
        SessionManager(store: sessionStore, configuration: SessionConfiguration(cookie: .init(name: "sid", secure: false)), clock: clock)
    }
    var sealedSessions: SessionManager {
        SessionManager(sealingWith: ring, revocation: RevocationEpochs(store: MemoryRevocationEpochStore(), maximumLag: 0),
                       configuration: SessionConfiguration(cookie: .init(name: "sealed", secure: false)), clock: clock)
    }
    var apiKeys: APIKeys { APIKeys(store: apiKeyStore, clock: clock) }
    var userCookie: SignedUserCookie { SignedUserCookie(ring: ring, name: "user", maxAge: 3600, secure: false) }

    func accessTokens(denyList: any TokenDenyList) async throws -> AccessTokens {
        try AccessTokens(configuration: .init(issuer: "https://auth.test", audiences: ["api"]),
                         keys: JWTKeySet([try await .derived(from: ring.entries[0])]), denyList: denyList, clock: clock)
    }

    /// `PasswordLogin` over ``users`` with cheap scrypt parameters.
    var passwordLogin: PasswordLogin {
        PasswordLogin(hasher: PasswordTestSupport.hasher(), directory: users,
                      throttle: LoginThrottle(store: MemoryLoginThrottleStore(), clock: clock), audit: audit)
    }

    func addUser(_ login: String, id: String, password: String) async throws {
        users.add(login: login, PasswordCredential(userID: id, passwordHash: try await PasswordTestSupport.hasher().hash(password)))
    }

    /// Routes: `/public` (anyone), `/me` (any identity, echoes it as JSON),
    /// `/login` (signs `user-1` in on the session), `/logout`, `/step-up`,
    /// `/reports` (scope `reports:read`), `/sensitive` (authenticated
    /// within 5 minutes), `/json` (JSON bodies only), and `/html` (a page
    /// that redirects to `/login`).
    func router(sessions: SessionManager? = nil, tokenDenyList: (any TokenDenyList)? = nil,
                basic: Bool = false, apiKeyQuery: Bool = false) async throws -> Router<BasicTesseraRequestContext> {
        let router = Router(context: BasicTesseraRequestContext.self)
        router.add(middleware: TesseraSessionMiddleware(manager: sessions ?? self.sessions, audit: audit))
        router.add(middleware: SessionAuthenticator())
        router.add(middleware: SignedCookieAuthenticator(cookie: userCookie, clock: clock))
        router.add(middleware: JWTAuthenticator(accessTokens: try await accessTokens(denyList: tokenDenyList ?? denyList), cookieName: "access"))
        router.add(middleware: APIKeyAuthenticator(keys: apiKeys, source: APIKeyCredentialSource(queryParameter: apiKeyQuery ? "api_key" : nil)))
        if basic { router.add(middleware: HTTPBasicAuthenticator(login: passwordLogin, clock: clock)) }
        router.add(middleware: CSRFMiddleware(serverOrigin: CSRFOrigin(Self.origin), audit: audit))

        router.get("public") { _, _ in "hello" }
        router.get("token") { _, context in try context.requireSession().csrfToken() }
        router.post("login") { _, context -> String in
            let session = try context.requireSession()
            try await session.logIn(userID: "user-1", method: "password")
            return try session.csrfToken()
        }
        router.post("logout") { _, context -> HTTPResponse.Status in
            try context.requireSession().logOut()
            return .noContent
        }
        router.post("step-up") { _, context -> HTTPResponse.Status in
            try context.requireSession().reauthenticate(method: "password")
            return .noContent
        }
        router.post("write") { _, _ in "written" }

        let protected = router.group().add(middleware: RequireAuthentication())
        protected.get("me") { _, context in try IdentityEcho(context.requireIdentity()) }
        protected.post("me") { _, context in try IdentityEcho(context.requireIdentity()) }
        protected.group("reports").add(middleware: RequireScopes(["reports:read"])).get { _, _ in "reports" }
        protected.group("sensitive").add(middleware: RequireRecentAuthentication(within: 300, clock: clock)).post { _, _ in "changed" }
        router.group("json").add(middleware: RequireJSONContentType()).post { _, _ in "accepted" }
        router.group("html").add(middleware: RequireAuthentication(loginPage: "/login")).get { _, _ in "page" }
        return router
    }

    func app(sessions: SessionManager? = nil, tokenDenyList: (any TokenDenyList)? = nil, basic: Bool = false,
             apiKeyQuery: Bool = false) async throws -> some ApplicationProtocol {
        Application(router: try await router(sessions: sessions, tokenDenyList: tokenDenyList, basic: basic, apiKeyQuery: apiKeyQuery))
    }
}

/// The identity as `/me` answers it.
struct IdentityEcho: ResponseCodable, Equatable {
    let userID: String
    let method: String
    let scopes: [String]?
    let credentialID: String?

    init(_ identity: AuthenticatedIdentity) {
        userID = identity.userID
        method = identity.method.rawValue
        scopes = identity.scopes?.sorted()
        credentialID = identity.credentialID
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// Every `Set-Cookie` value.
    var setCookies: [String] { headers[values: .setCookie] }

    /// `name=value` of the first `Set-Cookie` for `name`, ready for a `Cookie` header.
    func cookie(_ name: String) -> String? {
        setCookies.first { $0.hasPrefix(name + "=") }.map { String($0.prefix { $0 != ";" }) }
    }

    /// The decoded `/me` answer.
    func identity() throws -> IdentityEcho {
        try JSONDecoder().decode(IdentityEcho.self, from: Data(buffer: body))
    }

    /// The `code` member of a problem-details body.
    var problemCode: String? {
        guard headers[.contentType] == "application/problem+json",
              let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        else { return nil }
        return object["code"] as? String
    }
}

extension HTTPFields {
    /// Headers from pairs, for short test requests.
    static func with(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }
}
