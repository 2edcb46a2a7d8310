import Foundation
public import Hummingbird

/// Refuses unsafe requests whose body is not JSON, with 415 problem details.
///
/// A page on another site can send a cross-site `POST` without a CORS
/// preflight only with a "simple" content type: `text/plain`,
/// `application/x-www-form-urlencoded` or `multipart/form-data`. A JSON
/// API that accepts only `application/json` (or `…+json`) therefore never
/// sees such a forgery reach its code (ASVS-3.5.2, CS-C5). Put it on API
/// route groups; `GET`, `HEAD`, `OPTIONS` and bodiless requests pass.
public struct RequireJSONContentType<Context: RequestContext>: RouterMiddleware {
    /// A guard.
    public init() {}

    /// Runs the check, then the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let safe: Set<HTTPRequest.Method> = [.get, .head, .options, .trace]
        let bodiless = request.headers[.contentLength] == "0"
            || (request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil)
        guard safe.contains(request.method) || bodiless || Self.isJSON(request.headers[.contentType]) else {
            throw ProblemDetails(status: .unsupportedMediaType, code: "unsupported_media_type",
                                 detail: "Send the body as application/json.")
        }
        return try await next(request, context)
    }

    /// Whether `contentType`'s media type is `application/json` or `application/*+json`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
