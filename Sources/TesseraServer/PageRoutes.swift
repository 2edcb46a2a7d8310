import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Tessera
import TesseraHummingbird

/// The HTML pages: `/login`, `/account` (sessions, API keys, password)
/// and `/logout`. Plain forms that work without JavaScript; every form
/// carries the session's CSRF token, which ``CSRFMiddleware`` checks.
struct PageRoutes: Sendable {
    let services: ServerServices
    let library: MustacheLibrary

    struct LoginForm: Decodable { let username: String?; let password: String?; let rd: String? }
    struct KeyForm: Decodable { let name: String?; let scopes: String?; let expires_in_days: String? }
    struct PasswordForm: Decodable { let current_password: String?; let new_password: String?; let logout_others: String? }

    func register(on router: Router<ServerRequestContext>) {
        router.get("/", use: home)
        router.get("login", use: loginPage)
        router.post("login", use: signIn)
        router.post("logout", use: signOut)
        let account = router.group("account").add(middleware: RequireSessionPage())
        account.get(use: accountPage)
        account.post("sessions/revoke-others", use: revokeOthers)
        account.post("sessions/:handle/revoke", use: revokeSession)
        account.post("keys", use: createKey)
        account.post("keys/:id/revoke", use: revokeKey)
        account.post("password", use: changePassword)
    }

    @Sendable func home(_ request: Request, context: ServerRequestContext) async throws -> Response {
        Response.redirect(to: context.identity == nil ? "/login" : "/account", type: .normal)
    }

    @Sendable func loginPage(_ request: Request, context: ServerRequestContext) async throws -> Response {
        try render("login", status: .ok, [
            "title": "Sign in", "csrfToken": try csrfToken(context), "rd": request.uri.queryParameters.get("rd") ?? "",
        ])
    }

    @Sendable func signIn(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let form = try await decodeForm(LoginForm.self, request, context)
        let target = RedirectTarget(configuration: services.configuration).resolve(form.rd)
        let userID: String
        do {
            userID = try await PasswordSignIn(services: services).verify(form.username ?? "", form.password ?? "", context: context)
            _ = try await context.requireUser(in: services, userID: userID)
        } catch let problem as ProblemDetails where problem.status != .serviceUnavailable {
            var response = try render("login", status: problem.status, [
                "title": "Sign in", "csrfToken": try csrfToken(context), "rd": form.rd ?? "", "username": form.username ?? "",
                "error": problem.status == .tooManyRequests ? problem.detail : "Wrong username or password.",
            ])
            if let retryAfter = problem.headers[.retryAfter] { response.headers[.retryAfter] = retryAfter }
            return response
        }
        try await context.requireSession().logIn(userID: userID, method: "password")
        return Response.redirect(to: target, type: .found).withStatus(.seeOther)
    }

    @Sendable func signOut(_ request: Request, context: ServerRequestContext) async throws -> Response {
        try context.requireSession().logOut()
        return Response.redirect(to: "/login", type: .found).withStatus(.seeOther)
    }

    @Sendable func accountPage(_ request: Request, context: ServerRequestContext) async throws -> Response {
        try await renderAccount(context, notice: Self.notices[request.uri.queryParameters.get("done") ?? ""])
    }

    @Sendable func revokeOthers(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let user = try await context.requireUser(in: services)
        _ = try await AccountActions(services: services).revokeOtherSessions(of: user, context: context)
        return Self.backToAccount("sessions-ended")
    }

    @Sendable func revokeSession(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let user = try await context.requireUser(in: services)
        let ended = try await AccountActions(services: services).revokeSession(context.parameters.get("handle") ?? "", of: user)
        return Self.backToAccount(ended ? "session-ended" : "session-gone")
    }

    @Sendable func createKey(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let user = try await context.requireUser(in: services)
        let form = try await decodeForm(KeyForm.self, request, context)
        let days = form.expires_in_days.flatMap { $0.isEmpty ? nil : $0 }
        guard days == nil || Int(days!) != nil else { return try await renderAccount(context, error: "Expiry must be a number of days.", status: .badRequest) }
        let scopes = (form.scopes ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        do {
            let created = try await AccountActions(services: services).createKey(
                for: user, name: form.name ?? "", scopes: scopes, expiresInDays: days.flatMap { Int($0) }, context: context)
            // Rendered, not redirected: the key is shown once and kept nowhere.
            return try await renderAccount(context, newKey: created.key)
        } catch let problem as ProblemDetails where problem.status != .serviceUnavailable {
            return try await renderAccount(context, error: problem.detail, status: problem.status)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let user = try await context.requireUser(in: services)
        let revoked = try await AccountActions(services: services).revokeKey(context.parameters.get("id") ?? "", of: user)
        return Self.backToAccount(revoked ? "key-revoked" : "key-gone")
    }

    @Sendable func changePassword(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let user = try await context.requireUser(in: services)
        let form = try await decodeForm(PasswordForm.self, request, context)
        do {
            try await AccountActions(services: services).changePassword(
                of: user, current: form.current_password ?? "", new: form.new_password ?? "",
                logoutOthers: form.logout_others == "on", context: context)
        } catch let problem as ProblemDetails where problem.status != .serviceUnavailable {
            return try await renderAccount(context, error: problem.detail, status: problem.status)
        }
        return Self.backToAccount("password-changed")
    }

    // MARK: Rendering

    static let notices = [
        "sessions-ended": "Your other sessions are signed out.", "session-ended": "The session is signed out.",
        "session-gone": "That session had already ended.", "key-revoked": "The key is revoked.",
        "key-gone": "That key was already revoked.", "password-changed": "Your password is changed.",
    ]

    static func backToAccount(_ notice: String) -> Response {
        Response.redirect(to: "/account?done=\(notice)", type: .found).withStatus(.seeOther)
    }

    private func renderAccount(_ context: ServerRequestContext, notice: String? = nil, error: String? = nil,
                               newKey: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try await context.requireUser(in: services)
        let actions = AccountActions(services: services)
        let token = try csrfToken(context)
        let sessions: [[String: Any]] = try await actions.sessions(of: user, context: context).map {
            ["handle": $0.handle.description, "createdAt": Self.display($0.createdAt), "lastSeenAt": Self.display($0.lastSeenAt),
             "ip": $0.clientAddress ?? "", "userAgent": $0.userAgent ?? "", "current": $0.isCurrent, "csrfToken": token]
        }
        let keys: [[String: Any]] = try await actions.activeKeys(of: user).map {
            ["id": $0.id, "name": $0.name, "scopes": $0.scopes.isEmpty ? "(none)" : $0.scopes.joined(separator: " "),
             "expiresAt": $0.expiresAt.map(Self.display) ?? "never", "csrfToken": token]
        }
        var values: [String: Any] = ["title": "Your account", "username": user.username.value, "csrfToken": token,
                                     "sessions": sessions, "keys": keys]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        if let newKey { values["newKey"] = newKey }
        return try render("account", status: status, values)
    }

    private func render(_ template: String, status: HTTPResponse.Status, _ values: [String: Any]) throws -> Response {
        guard let html = library.render(values, withTemplate: template) else { throw HTTPError(.internalServerError) }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                      HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("Referrer-Policy")!: "same-origin"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func csrfToken(_ context: ServerRequestContext) throws -> String {
        do { return try context.requireSession().csrfToken() } catch { throw ProblemDetails.serviceUnavailable }
    }

    private func decodeForm<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: ServerRequestContext) async throws -> Form {
        let body = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch {
            throw ProblemDetails(status: .badRequest, code: "form.malformed", detail: "The form could not be read.")
        }
    }

    static func display(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon, timeZone: .gmt)
            .year().month().day().time(includingFractionalSeconds: false)) + " UTC"
    }
}

/// `/account` and its forms are for a browser session: anyone else is
/// sent to `/login?rd=…` (GET) or refused (401).
struct RequireSessionPage: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.tessera.sessionFailure != nil { throw ProblemDetails.serviceUnavailable }
        guard let identity = context.identity, identity.method == .session else {
            if request.method == .get {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/account"
                return Response.redirect(to: "/login?rd=" + encoded, type: .found).withStatus(.seeOther)
            }
            throw ProblemDetails(status: .unauthorized, code: "session.absent", detail: "Sign in first.")
        }
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

extension Response {
    /// The same response with another status (a 303 after a form post).
    func withStatus(_ status: HTTPResponse.Status) -> Response {
        var copy = self
        copy.status = status
        return copy
    }
}
