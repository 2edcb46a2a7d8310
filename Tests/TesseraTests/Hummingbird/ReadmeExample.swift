import Hummingbird
import Tessera
import TesseraHummingbird
import TesseraSQLite

/// A sign-in form or JSON body.
struct SignIn: Decodable {
    let username: String
    let password: String
}

/// Sessions on SQLite, a password login with a CSRF-protected form,
/// a page only signed-in users see, logout, and an API route for keys.
func makeExampleApp(storage: SQLiteStorage, users: any CredentialDirectory,
                    hasher: PasswordHasher = PasswordHasher()) -> some ApplicationProtocol {
    let sessions = SessionManager(store: storage.sessions)
    let login = PasswordLogin(hasher: hasher, directory: users, throttle: LoginThrottle(store: storage.loginThrottle))
    let apiKeys = APIKeys(store: storage.apiKeys)

    let router = Router(context: BasicTesseraRequestContext.self)
    router.add(middleware: TesseraSessionMiddleware(manager: sessions))
    router.add(middleware: SessionAuthenticator())
    router.add(middleware: APIKeyAuthenticator(keys: apiKeys))
    router.add(middleware: CSRFMiddleware(serverOrigin: CSRFOrigin("http://127.0.0.1:8080")))

    // A token for the sign-in form (or a script's X-CSRF-Token header).
    router.get("login") { _, context in
        ["csrfToken": try context.requireSession().csrfToken()]
    }
    router.post("login") { request, context -> [String: String] in
        let form = try await request.decode(as: SignIn.self, context: context)
        switch await login.attempt(login: form.username, password: form.password, address: context.tessera.clientAddress ?? "") {
        case .succeeded(let userID):
            let session = try context.requireSession()
            try await session.logIn(userID: userID, method: "password")   // new session ID: no fixation
            return ["user": userID, "csrfToken": try session.csrfToken()]
        case .throttled(let seconds):
            throw ProblemDetails(status: .tooManyRequests, code: "login.throttled",
                                 detail: "Try again in \(seconds) seconds.", headers: [.retryAfter: String(seconds)])
        case .unavailable:
            throw ProblemDetails.serviceUnavailable
        case .failed, .rejected:
            throw ProblemDetails(status: .unauthorized, code: "login.failed", detail: "Wrong user name or password.")
        }
    }
    router.post("logout") { _, context -> HTTPResponse.Status in
        try context.requireSession().logOut()
        return .noContent
    }

    let account = router.group("account").add(middleware: RequireAuthentication(loginPage: "/login"))
    account.get { _, context in "Signed in as \(try context.requireIdentity().userID)\n" }
    account.post("keys") { _, context -> [String: String] in
        let created = try await apiKeys.create(owner: try context.requireIdentity().userID, name: "reports", scopes: ["reports:read"])
        return ["id": created.record.id, "key": created.key]   // shown once
    }

    let api = router.group("api").add(middleware: RequireAuthentication()).add(middleware: RequireJSONContentType())
    api.group("reports").add(middleware: RequireScopes(["reports:read"])).get { _, context in
        ["owner": try context.requireIdentity().userID, "reports": "[]"]
    }
    return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
}
