import Foundation
import HTTPTypes
import Hummingbird
import Tessera
import TesseraHummingbird

/// `/api/session` (sign in, who, sign out) and `/api/me`.
struct SessionRoutes: Sendable {
    let services: ServerServices

    struct SignIn: Decodable {
        let username: String
        let password: String
    }

    struct UserBody: Encodable { let username: String }
    struct CookieBody: Encodable { let name: String; let value: String }
    struct SignedIn: ResponseEncodable { let user: UserBody; let session: CookieBody; let csrfToken: String }
    struct SessionInfo: Encodable { let handle: String; let createdAt: String?; let lastSeenAt: String?; let authenticatedAt: String? }
    struct Current: ResponseEncodable { let user: UserBody; let session: SessionInfo; let csrfToken: String }
    struct Me: ResponseEncodable { let username: String; let method: String; let scopes: [String] }

    func register(open: RouterGroup<ServerRequestContext>, authenticated: RouterGroup<ServerRequestContext>) {
        open.post("session", use: signIn)
        open.get("session", use: current)
        open.delete("session", use: signOut)
        authenticated.get("me", use: me)
    }

    /// 401 for a session route called without a signed-in session.
    static let noSession = ProblemDetails(
        status: .unauthorized, code: "session.absent", detail: "No one is signed in with this session.",
        headers: [.wwwAuthenticate: #"Bearer realm="tessera""#])

    @Sendable func signIn(_ request: Request, context: ServerRequestContext) async throws -> SignedIn {
        let body = try await request.decode(as: SignIn.self, context: context)
        let userID = try await PasswordSignIn(services: services).verify(body.username, body.password, context: context)
        let session = try context.requireSession()
        try await session.logIn(userID: userID, method: "password")
        let cookie: SetCookie?
        do { cookie = try await session.commit() } catch { throw ProblemDetails.serviceUnavailable }
        guard let cookie else { throw ProblemDetails.serviceUnavailable }
        let user = try await context.requireUser(in: services, userID: userID)
        return SignedIn(user: UserBody(username: user.username.value), session: CookieBody(name: cookie.name, value: cookie.value),
                        csrfToken: try session.csrfToken())
    }

    @Sendable func current(_ request: Request, context: ServerRequestContext) async throws -> Current {
        let session = try context.requireSession()
        guard session.isAuthenticated, let userID = session.userID else {
            throw Self.noSession
        }
        let user = try await context.requireUser(in: services, userID: userID)
        let snapshot = session.snapshot
        return Current(
            user: UserBody(username: user.username.value),
            session: SessionInfo(handle: snapshot.handle?.description ?? "", createdAt: snapshot.createdAt?.iso8601,
                                 lastSeenAt: snapshot.lastSeenAt?.iso8601, authenticatedAt: snapshot.authenticatedAt?.iso8601),
            csrfToken: try session.csrfToken())
    }

    @Sendable func signOut(_ request: Request, context: ServerRequestContext) async throws -> HTTPResponse.Status {
        let session = try context.requireSession()
        guard session.isAuthenticated else {
            throw Self.noSession
        }
        session.logOut()
        return .noContent
    }

    @Sendable func me(_ request: Request, context: ServerRequestContext) async throws -> Me {
        let identity = try context.requireIdentity()
        let user = try await context.requireUser(in: services)
        let scopes = identity.scopes.map { $0.sorted() } ?? ["*"]
        return Me(username: user.username.value, method: identity.method.rawValue, scopes: scopes)
    }
}

/// A password check shared by the JSON sign-in, the token grant and the
/// login page: the answers are the same for an unknown user and a wrong
/// password (ASVS 6.3.8), 429 when throttled, 503 when a store is down.
struct PasswordSignIn: Sendable {
    let services: ServerServices

    /// The user ID `username` and `password` prove, or a ``ProblemDetails``.
    func verify(_ username: String, _ password: String, context: ServerRequestContext) async throws -> String {
        // Throttle and look up by the normalised name, so `Alice` and `alice`
        // share one failure count.
        let login = Username(username)?.value ?? username
        switch await services.login.attempt(login: login, password: password, address: context.clientAddressForThrottling) {
        case .succeeded(let userID):
            return userID
        case .throttled(let seconds):
            throw ProblemDetails(status: .tooManyRequests, code: "login.throttled",
                                 detail: "Too many failed sign-ins; try again in \(seconds) seconds.",
                                 headers: [.retryAfter: String(seconds)])
        case .unavailable:
            throw ProblemDetails.serviceUnavailable
        case .failed, .rejected:
            throw ProblemDetails(status: .unauthorized, code: "login.failed", detail: "Wrong username or password.",
                                 headers: [.wwwAuthenticate: #"Bearer realm="tessera""#])
        }
    }
}
