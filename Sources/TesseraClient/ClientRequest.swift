import NIOCore
import NIOHTTP1

/// A request for ``AuthenticatedHTTPClient``: the body is held in memory so
/// that a `307`/`308` redirect or a retry after a token refresh can send it again.
public struct ClientRequest: Sendable {
    /// The method, such as `.GET` or `.POST`.
    public var method: HTTPMethod
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Headers to send; the client adds `Cookie`, CSRF and `Authorization` headers itself.
    public var headers: HTTPHeaders
    /// The body, if any.
    public var body: ByteBuffer?

    /// A request.
    public init(method: HTTPMethod = .GET, url: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The final response after redirects, with the whole body.
public struct ClientResponse: Sendable {
    /// The status of the last response.
    public var status: HTTPResponseStatus
    /// Its headers.
    public var headers: HTTPHeaders
    /// Its body.
    public var body: ByteBuffer
    /// The URL that answered, after any redirects.
    public var url: String
    /// How many redirects were followed.
    public var redirects: Int

    /// The body as text (UTF-8, with invalid bytes replaced).
    public var text: String { String(buffer: body) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status.code) }
}
