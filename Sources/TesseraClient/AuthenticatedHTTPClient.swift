import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An AsyncHTTPClient that behaves like a careful browser towards one user's
/// logins: it sends the jar's cookies, keeps every `Set-Cookie`, echoes CSRF
/// tokens and, in token mode, sends and refreshes a bearer token.
///
/// ```swift
/// let client = AuthenticatedHTTPClient(jar: CookieJar())
/// defer { try? await client.shutdown() }
/// _ = try await client.send(ClientRequest(method: .POST, url: "https://auth.example.com/api/session",
///                                         headers: ["Content-Type": "application/json"], body: ByteBuffer(string: login)))
/// let me = try await client.send(ClientRequest(url: "https://auth.example.com/api/me"))
/// ```
///
/// Redirects are followed here, not inside AsyncHTTPClient, so the jar is
/// consulted and updated on every hop (a `302` from `a.example` to `b.example`
/// does not carry `a.example`'s host-only cookies). `303`, and `301`/`302`
/// after a POST, continue as GET without a body; `307`/`308` repeat the
/// request, but never with its body to another origin or down to plain http.
/// `Authorization` and hand-written `Cookie` headers never follow a redirect
/// to another origin, nor come back if the chain returns (as in Fetch). A URL
/// that Foundation and the jar would read as different hosts is refused.
public final class AuthenticatedHTTPClient: Sendable {
    /// The jar used for every request.
    public let jar: CookieJar
    /// The CSRF echo settings.
    public let csrf: CSRFEcho
    /// The bearer tokens for token mode; `nil` for cookies only.
    public let bearer: BearerTokens?
    /// The most redirects one request follows.
    public let maximumRedirects: Int
    /// The largest response body accepted.
    public let maximumResponseBytes: Int
    /// The time one hop may take.
    public let timeout: TimeAmount

    private let http: HTTPClient
    private let csrfTokens = Mutex<[String: String]>([:])

    /// A client with its own AsyncHTTPClient (redirects off, since this class follows them).
    public init(jar: CookieJar, csrf: CSRFEcho = CSRFEcho(), bearer: BearerTokens? = nil, maximumRedirects: Int = 10,
                maximumResponseBytes: Int = 16 << 20, timeout: TimeAmount = .seconds(30),
                eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) {
        self.jar = jar
        self.csrf = csrf
        self.bearer = bearer
        self.maximumRedirects = maximumRedirects
        self.maximumResponseBytes = maximumResponseBytes
        self.timeout = timeout
        self.http = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
    }

    /// Closes the connections. Call once, when done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends a request, following redirects, and returns the final response.
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        try await send(request, withBearer: true)
    }

    /// `withBearer: false` for the client's own CSRF token fetches, which ride on
    /// cookies and may go to an origin a redirect led to.
    private func send(_ request: ClientRequest, withBearer: Bool) async throws -> ClientResponse {
        guard let firstOrigin = Origin(request.url) else { throw ClientError.unsupportedURL }
        var hop = request
        var redirects = 0
        var retriedAfterRefresh = false
        var leftFirstOrigin = false
        while true {
            // The jar and the connection must agree on the host, or one site's cookies could go to another.
            guard let origin = Origin(hop.url), let cookieURL = CookieURL(hop.url), origin.matches(cookieURL) else {
                throw ClientError.unsupportedURL
            }
            if origin != firstOrigin { leftFirstOrigin = true }
            var headers = hop.headers
            if leftFirstOrigin {
                hop.headers.remove(name: "Authorization")
                hop.headers.remove(name: "Cookie")
                headers = hop.headers
            }
            var cookieHeader = jar.cookieHeader(for: cookieURL)
            if let own = headers.first(name: "Cookie") {
                headers.remove(name: "Cookie")
                cookieHeader = cookieHeader.map { own + "; " + $0 } ?? own
            }
            if let cookieHeader { headers.replaceOrAdd(name: "Cookie", value: cookieHeader) }
            if CSRFEcho.isUnsafe(method: hop.method.rawValue) { try await addCSRFToken(to: &headers, for: cookieURL, origin: origin) }
            var bearerToken: String?
            if withBearer, let bearer, !leftFirstOrigin, !headers.contains(name: "Authorization") {
                let token = try await bearer.current()
                headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
                bearerToken = token
            }

            let response = try await exchange(hop.method, hop.url, headers, hop.body)
            jar.store(setCookieHeaders: response.headers["Set-Cookie"], from: cookieURL)

            if response.status == .unauthorized, let bearer, let bearerToken, !retriedAfterRefresh {
                retriedAfterRefresh = true
                _ = try await bearer.refreshed(after: bearerToken)
                continue
            }
            guard let next = try nextHop(after: response, of: hop) else {
                return ClientResponse(status: response.status, headers: response.headers, body: response.body,
                                      url: hop.url, redirects: redirects)
            }
            redirects += 1
            if redirects > maximumRedirects { throw ClientError.tooManyRedirects(maximumRedirects) }
            hop = next
        }
    }

    private struct Exchange {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    private func exchange(_ method: HTTPMethod, _ url: String, _ headers: HTTPHeaders, _ body: ByteBuffer?) async throws -> Exchange {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        let response = try await http.execute(request, timeout: timeout)
        let collected: ByteBuffer
        do {
            collected = try await response.body.collect(upTo: maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw ClientError.responseTooLarge(limit: maximumResponseBytes)
        }
        return Exchange(status: response.status, headers: response.headers, body: collected)
    }

    /// The request a redirect leads to, or `nil` when the response is final.
    private func nextHop(after response: Exchange, of request: ClientRequest) throws -> ClientRequest? {
        guard [301, 302, 303, 307, 308].contains(response.status.code), let location = response.headers.first(name: "Location") else {
            return nil
        }
        guard let base = URL(string: request.url), let target = URL(string: location, relativeTo: base)?.absoluteURL,
              let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ClientError.badRedirectLocation
        }
        var next = request
        next.url = target.absoluteString
        let keepsMethod = response.status.code == 307 || response.status.code == 308
            || (response.status.code != 303 && request.method != .POST) || request.method == .HEAD
        if keepsMethod, request.body != nil, let from = Origin(request.url), let to = Origin(next.url),
           from != to || (from.isHTTPS && !to.isHTTPS) {
            throw ClientError.bodyWouldFollowRedirect
        }
        if !keepsMethod {
            next.method = .GET
            next.body = nil
            for name in ["Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding"] { next.headers.remove(name: name) }
        }
        return next
    }

    /// Adds a CSRF header: the first configured cookie the jar would send, else a
    /// token fetched once per origin from the configured endpoint.
    private func addCSRFToken(to headers: inout HTTPHeaders, for url: CookieURL, origin: Origin) async throws {
        let cookies = jar.cookies(for: url)
        for pair in csrf.cookiePairs where !headers.contains(name: pair.headerName) {
            if let cookie = cookies.first(where: { $0.name == pair.cookieName }) {
                headers.replaceOrAdd(name: pair.headerName, value: cookie.value)
                return
            }
        }
        guard let endpoint = csrf.endpoint, !headers.contains(name: endpoint.headerName), !cookies.isEmpty else { return }
        if let token = csrfTokens.withLock({ $0[origin.text] }) {
            headers.replaceOrAdd(name: endpoint.headerName, value: token)
            return
        }
        let reply = try await send(ClientRequest(url: origin.text + endpoint.path, headers: ["Accept": "application/json"]), withBearer: false)
        guard reply.isSuccess,
              let object = try? JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: Any],
              let token = object[endpoint.field] as? String else { return }
        csrfTokens.withLock { $0[origin.text] = token }
        headers.replaceOrAdd(name: endpoint.headerName, value: token)
    }
}

/// `scheme://host:port` as Foundation (and so the connection) reads the URL:
/// the unit that credentials stay within.
struct Origin: Hashable {
    let text: String
    let host: String
    let isHTTPS: Bool

    init?(_ url: String) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host?.lowercased(), !host.isEmpty else { return nil }
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.host = shownHost.hasSuffix(".") ? String(shownHost.dropLast()) : shownHost
        self.isHTTPS = scheme == "https"
        text = "\(scheme)://\(shownHost):\(port)"
    }

    /// Whether the jar's reading of the same URL names this host and scheme.
    func matches(_ url: CookieURL) -> Bool {
        url.isHTTPS == isHTTPS && (url.host == host || HostASCII.toASCII(host) == url.host)
    }
}
