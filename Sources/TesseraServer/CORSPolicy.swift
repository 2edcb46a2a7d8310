import HTTPTypes
import Hummingbird

/// Credentialed CORS for an exact list of origins, the answer to "cookies
/// are not sent with my ajax request": the browser sends them
/// (`credentials: "include"`) only if the answer names the origin and
/// allows credentials, which a wildcard can never do.
///
/// Requests from a listed origin get `Access-Control-Allow-Origin: ORIGIN`,
/// `Access-Control-Allow-Credentials: true` and `Vary: Origin`; preflights
/// (`OPTIONS` with `Access-Control-Request-Method`) answer 204 with the
/// methods and headers the API uses. Other origins get no CORS headers, so
/// the browser keeps their scripts from reading anything.
struct CORSPolicy<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>

    static var allowedMethods: String { "GET, POST, PATCH, DELETE, OPTIONS" }
    static var allowedHeaders: String { "Content-Type, X-CSRF-Token, Authorization, X-API-Key" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = allowedOrigins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if allowed {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowCredentials] = "true"
                headers[.accessControlAllowMethods] = Self.allowedMethods
                headers[.accessControlAllowHeaders] = Self.allowedHeaders
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
        }
        return response
    }
}
