/// Why ``AuthenticatedHTTPClient`` could not finish a request. Descriptions
/// never include cookie values, tokens or request bodies.
public enum ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute `http` or `https` URL. (Not repeated in the
    /// description: a URL can carry an API key in its query.)
    case unsupportedURL
    /// More redirects than allowed.
    case tooManyRedirects(Int)
    /// A `307`/`308` would send the request body (a password, say) to another
    /// origin or from https to plain http; the client does not follow it.
    case bodyWouldFollowRedirect
    /// A redirect's `Location` could not be resolved to an `http` or `https` URL.
    case badRedirectLocation
    /// The response body is larger than the client accepts.
    case responseTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unsupportedURL: "the URL is not an absolute http or https URL"
        case .tooManyRedirects(let count): "gave up after \(count) redirects"
        case .badRedirectLocation: "a redirect pointed to a Location that is not an http or https URL"
        case .bodyWouldFollowRedirect: "a 307/308 redirect would send the request body to another origin or over plain http; not followed"
        case .responseTooLarge(let limit): "the response body is larger than \(limit) bytes"
        }
    }
}
