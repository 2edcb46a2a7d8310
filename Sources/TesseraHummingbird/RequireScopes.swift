import HTTPTypes
public import Hummingbird

/// Lets a request through only if its credential allows every one of
/// ``scopes``; put it after ``RequireAuthentication``.
///
/// Sessions, signed cookies and Basic are the user acting directly and
/// pass (their scopes are unrestricted); API keys and access tokens must
/// carry the scopes. A refusal is 403 `insufficient_scope`, with a
/// `Bearer error="insufficient_scope", scope="…"` challenge for token
/// and key requests (RFC 6750 §3.1).
public struct RequireScopes<Context: TesseraRequestContext>: RouterMiddleware {
    /// The scopes every request must be allowed.
    public let scopes: Set<String>

    /// A guard requiring all of `scopes`.
    public init(_ scopes: Set<String>) {
        self.scopes = scopes
    }

    /// Runs the check, then the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.allows(scopes: scopes) else {
            let needed = scopes.sorted().joined(separator: " ")
            var headers = HTTPFields()
            if !identity.method.isAmbient {
                let challenge = context.tessera.challenges.first { $0.scheme == "Bearer" } ?? .bearer(realm: "tessera")
                headers[.wwwAuthenticate] = challenge.headerValue(error: "insufficient_scope", scope: needed)
            }
            throw ProblemDetails(status: .forbidden, code: "insufficient_scope",
                                 detail: "This needs the scopes: \(needed).", headers: headers)
        }
        return try await next(request, context)
    }
}
