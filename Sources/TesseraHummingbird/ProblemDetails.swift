import Foundation
public import Hummingbird

/// An error answered as RFC 9457 problem details:
/// `application/problem+json` with `type`, `title`, `status`, `detail`
/// and Tessera's machine-readable `code`.
///
/// ```json
/// {"type":"about:blank","title":"Forbidden","status":403,
///  "code":"csrf.token_missing","detail":"Send the X-CSRF-Token header …"}
/// ```
///
/// Every guard throws these, so an API client can branch on `code` and a
/// developer reads in `detail` what to send. No detail ever holds a
/// credential, a session ID or a password.
public struct ProblemDetails: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A stable, machine-readable reason.
    public let code: String
    /// What went wrong and what to do, for a person.
    public let detail: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Location`).
    public var headers: HTTPFields

    /// A problem.
    public init(status: HTTPResponse.Status, code: String, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
    }

    /// 503: a store Tessera needs to decide is down. Authentication fails
    /// closed: the request neither passes nor is treated as anonymous.
    public static let serviceUnavailable = ProblemDetails(
        status: .serviceUnavailable, code: "store_unavailable",
        detail: "Authentication is temporarily unavailable; try again shortly.",
        headers: [.retryAfter: "5"]
    )

    /// The JSON members, in RFC 9457's order.
    struct Body: Encodable {
        let type = "about:blank"
        let title: String
        let status: Int
        let code: String
        let detail: String
    }

    /// The problem as an `application/problem+json` response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    /// The problem as a response, with no request needed.
    var response: Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding four strings and an integer can't fail.
        let body = (try? encoder.encode(Body(title: status.reasonPhrase, status: status.code, code: code, detail: detail))) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
