import HTTPTypes
import Hummingbird
import Tessera
import TesseraHummingbird

/// `GET /auth/verify`, for a reverse proxy's sub-request (nginx
/// `auth_request`, Traefik `forwardAuth`, Caddy `forward_auth`): 200 with
/// the user in `X-Tessera-User`, the method in `X-Tessera-Method` and the
/// scopes in `X-Tessera-Scopes` when the request's session cookie, bearer
/// token or API key is good; 401 otherwise; 503 when a store is down.
///
/// ```nginx
/// location /app/ {
///     auth_request /auth/verify;
///     auth_request_set $tessera_user $upstream_http_x_tessera_user;
///     proxy_set_header X-Tessera-User $tessera_user;
///     proxy_pass http://app;
/// }
/// location = /auth/verify {
///     internal;
///     proxy_pass http://127.0.0.1:8080;
///     proxy_pass_request_body off;
///     proxy_set_header Content-Length "";
/// }
/// ```
struct ForwardAuthRoute: Sendable {
    let services: ServerServices

    static let userHeader = HTTPField.Name("X-Tessera-User")!
    static let methodHeader = HTTPField.Name("X-Tessera-Method")!
    static let scopesHeader = HTTPField.Name("X-Tessera-Scopes")!

    func register(on router: RouterGroup<ServerRequestContext>) {
        router.get("auth/verify", use: verify)
        router.head("auth/verify", use: verify)
    }

    @Sendable func verify(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let user = try await context.requireUser(in: services)
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[Self.userHeader] = user.username.value
        headers[Self.methodHeader] = identity.method.rawValue
        headers[Self.scopesHeader] = identity.scopes.map { $0.sorted().joined(separator: ",") } ?? "*"
        return Response(status: .ok, headers: headers)
    }
}
