import Foundation
import HTTPTypes
public import Hummingbird

/// Lets a request through only with an ``AuthenticatedIdentity``.
///
/// Otherwise, in this order:
/// - **503** when a store an authenticator or the session needed was down:
///   authentication fails closed, it never passes for lack of an answer.
/// - **429** with `Retry-After` when a password login was throttled.
/// - **303** to `loginPage?rd=<path>` for a browser asking for a page
///   (`GET`/`HEAD` accepting `text/html`), when a login page is set.
/// - **401** with one `WWW-Authenticate` challenge per scheme in use
///   (`Bearer` gets `error="invalid_token"` when a bad token or key came),
///   as RFC 9457 problem details.
///
/// Responses of protected routes get `Cache-Control: no-store` unless the
/// route set its own (CS-S13).
///
/// ```swift
/// let api = router.group("api").add(middleware: RequireAuthentication())
/// let pages = router.group("account").add(middleware: RequireAuthentication(loginPage: "/login"))
/// ```
public struct RequireAuthentication<Context: TesseraRequestContext>: RouterMiddleware {
    /// Where browsers are sent to sign in, or `nil` to answer 401.
    public let loginPage: String?

    /// A guard.
    /// - Parameter loginPage: a path such as `/login`; the original path
    ///   and query go in its `rd` parameter.
    public init(loginPage: String? = nil) {
        self.loginPage = loginPage
    }

    /// Runs the check, then the rest of the chain.
    @inlinable
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.tessera.identity != nil else { throw Self.refusal(for: request, state: context.tessera, loginPage: loginPage) }
        var response = try await next(request, context)
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    @usableFromInline
    static func refusal(for request: Request, state: TesseraRequestState, loginPage: String?) -> any Error {
        if state.storeWasUnavailable { return ProblemDetails.serviceUnavailable }
        if let retryAfter = state.rejections.compactMap(\.retryAfter).max() {
            return ProblemDetails(status: .tooManyRequests, code: "login.throttled",
                                  detail: "Too many failed sign-ins; try again in \(retryAfter) seconds.",
                                  headers: [.retryAfter: String(retryAfter)])
        }
        if let loginPage, request.method == .get || request.method == .head, Self.acceptsHTML(request) {
            return LoginRedirect(location: loginPage + "?rd=" + Self.returnPath(of: request))
        }
        var headers = HTTPFields()
        let invalid = state.rejections.contains { !$0.method.isAmbient }
        for challenge in state.challenges {
            headers.append(HTTPField(name: .wwwAuthenticate, value: challenge.headerValue(error: invalid ? "invalid_token" : nil)))
        }
        let detail = state.rejections.first.map { "The credential was refused (\($0.code))." }
            ?? "Sign in, or send a bearer token or an API key."
        return ProblemDetails(status: .unauthorized, code: "authentication_required", detail: detail, headers: headers)
    }

    static func acceptsHTML(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.contains("text/html") }
    }

    /// The request's path and query, percent-encoded for a query value.
    static func returnPath(of request: Request) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}

/// A 303 to the login page, thrown so the route never runs.
struct LoginRedirect: HTTPResponseError {
    let location: String
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
