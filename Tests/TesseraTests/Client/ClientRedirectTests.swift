import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import Testing
@testable import TesseraClient

/// CHECKLIST row K-41 (and K-37's "exactly one `Cookie` header"), against a
/// real HTTP server: ``AuthenticatedHTTPClient`` follows redirects itself and
/// asks the jar again on every hop.
///
/// `*.localhost` names do not resolve on every machine, so the two hosts are
/// `127.0.0.1` and `localhost`: one server, two different cookie hosts and
/// two different origins.
@Suite("AuthenticatedHTTPClient redirects (CHECKLIST K-41)")
struct ClientRedirectTests {
    /// What `/echo` saw, one `name: value` line each.
    struct Echo {
        let lines: [String: String]
        init(_ text: String) {
            var lines: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let colon = line.range(of: ": ") else { continue }
                lines[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
            }
            self.lines = lines
        }
        var host: String? { lines["host"] }
        var method: String? { lines["method"] }
        /// Every `Cookie` field, joined with ` | `; `-` for none.
        var cookie: String? { lines["cookie"] }
        var cookieFields: Int? { lines["cookie-fields"].flatMap { Int($0) } }
        var authorization: String? { lines["authorization"] }
        var contentType: String? { lines["content-type"] }
        var body: String? { lines["body"] }
    }

    /// `/echo` (GET and POST) describes the request; `/set?name=N&to=URL` sets
    /// the host-only cookie `N=1; Path=/` and answers `302` to `URL`;
    /// `/redirect?status=S&to=URL` answers `S` to `URL`.
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        let echo: @Sendable (Request, BasicRequestContext) async throws -> String = { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let cookies = request.headers[values: .cookie]
            return [
                "host: \(request.head.authority ?? "-")",
                "method: \(request.method.rawValue)",
                "cookie: \(cookies.isEmpty ? "-" : cookies.joined(separator: " | "))",
                "cookie-fields: \(cookies.count)",
                "authorization: \(request.headers[.authorization] ?? "-")",
                "content-type: \(request.headers[.contentType] ?? "-")",
                "body: \(body.readableBytes == 0 ? "-" : String(buffer: body))",
            ].joined(separator: "\n")
        }
        router.get("echo", use: echo)
        router.post("echo", use: echo)
        router.get("set") { request, _ -> Response in
            let name = request.uri.queryParameters.get("name") ?? "c"
            var headers = HTTPFields()
            headers[.location] = request.uri.queryParameters.get("to") ?? "/echo"
            headers.append(HTTPField(name: .setCookie, value: "\(name)=1; Path=/"))
            return Response(status: .found, headers: headers)
        }
        let redirect: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            _ = try await request.body.collect(upTo: 1 << 16)
            let status = request.uri.queryParameters.get("status").flatMap { Int($0) } ?? 302
            return Response(status: .init(code: status), headers: [.location: request.uri.queryParameters.get("to") ?? "/echo"])
        }
        router.get("redirect", use: redirect)
        router.post("redirect", use: redirect)
        return router
    }

    /// Runs `body` with the two origins of a live server, and a client over `jar` that is always shut down.
    func withServer(jar: CookieJar, bearer: BearerTokens? = nil,
                    _ body: @Sendable (_ a: String, _ b: String, _ client: AuthenticatedHTTPClient) async throws -> Void) async throws {
        var logger = Logger(label: "tessera.test.client-redirects")
        logger.logLevel = .warning
        try await Application(router: Self.router(), logger: logger).test(.live) { testClient in
            let port = try #require(testClient.port)
            let client = AuthenticatedHTTPClient(jar: jar, bearer: bearer, timeout: .seconds(10))
            do {
                try await body("http://127.0.0.1:\(port)", "http://localhost:\(port)", client)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    func get(_ client: AuthenticatedHTTPClient, _ url: String, headers: HTTPHeaders = [:]) async throws -> (ClientResponse, Echo) {
        let response = try await client.send(ClientRequest(url: url, headers: headers))
        return (response, Echo(response.text))
    }

    // MARK: - K-41

    @Test func test_K_41_aHostOnlyCookieDoesNotFollowARedirectToAnotherHost() async throws {
        let jar = JarFixture.jar()
        try await withServer(jar: jar) { a, b, client in
            jar.store(setCookie: "b_own=2; Path=/", from: try #require(CookieURL(b + "/")))

            let (response, echo) = try await get(client, "\(a)/set?name=a_only&to=\(b)/echo")
            #expect(response.status == .ok)
            #expect(response.redirects == 1)
            #expect(response.url == "\(b)/echo")
            #expect(echo.host?.hasPrefix("localhost:") == true, "the second hop went to host B")
            #expect(echo.cookie == "b_own=2", "B gets its own cookie and not A's host-only one")

            // The cookie from the 302 was stored for A, and A gets it (but not B's).
            #expect(jar.allCookies().contains { $0.name == "a_only" && $0.domain == "127.0.0.1" && $0.hostOnly })
            let (_, atA) = try await get(client, "\(a)/echo")
            #expect(atA.host?.hasPrefix("127.0.0.1:") == true)
            #expect(atA.cookie == "a_only=1")
        }
    }

    @Test func test_K_41_aCookieSetOnARedirectIsSentOnTheNextHopToTheSameHost() async throws {
        let jar = JarFixture.jar()
        try await withServer(jar: jar) { a, _, client in
            let (response, echo) = try await get(client, "\(a)/set?name=fresh&to=/echo")
            #expect(response.redirects == 1)
            #expect(echo.cookie == "fresh=1")
        }
    }

    @Test func test_K_41_eachHopOfAChainGetsItsOwnHostsCookies() async throws {
        let jar = JarFixture.jar()
        try await withServer(jar: jar) { a, b, client in
            // A sets a_only and sends us to B, B sets b_only and sends us back to A.
            let back = "\(a)/echo"
            let (response, echo) = try await get(client, "\(a)/set?name=a_only&to=\(b)/set?name=b_only%26to=\(back)")
            #expect(response.redirects == 2)
            #expect(echo.host?.hasPrefix("127.0.0.1:") == true)
            #expect(echo.cookie == "a_only=1")
            #expect(jar.allCookies().map { "\($0.domain) \($0.name)" }.sorted() == ["127.0.0.1 a_only", "localhost b_only"])
        }
    }

    @Test func test_K_41_a303AfterPostContinuesAsGetWithoutTheBody() async throws {
        try await withServer(jar: JarFixture.jar()) { a, _, client in
            let request = ClientRequest(method: .POST, url: "\(a)/redirect?status=303&to=/echo",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: "user=ada"))
            let response = try await client.send(request)
            let echo = Echo(response.text)
            #expect(response.redirects == 1)
            #expect(echo.method == "GET")
            #expect(echo.body == "-")
            #expect(echo.contentType == "-")
        }
    }

    @Test func test_K_41_a307AfterPostRepeatsThePost() async throws {
        try await withServer(jar: JarFixture.jar()) { a, _, client in
            let request = ClientRequest(method: .POST, url: "\(a)/redirect?status=307&to=/echo",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: "user=ada"))
            let echo = Echo(try await client.send(request).text)
            #expect(echo.method == "POST")
            #expect(echo.body == "user=ada")
            #expect(echo.contentType == "application/x-www-form-urlencoded")
        }
    }

    @Test func test_K_41_a307NeverCarriesTheBodyToAnotherOrigin() async throws {
        try await withServer(jar: JarFixture.jar()) { a, b, client in
            let request = ClientRequest(method: .POST, url: "\(a)/redirect?status=307&to=\(b)/echo",
                                        headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"password":"pw"}"#))
            await #expect(throws: ClientError.bodyWouldFollowRedirect) { try await client.send(request) }
        }
    }

    @Test func test_K_41_authorizationIsNotForwardedToAnotherOrigin() async throws {
        try await withServer(jar: JarFixture.jar()) { a, b, client in
            let secret: HTTPHeaders = ["Authorization": "Basic YWRhOnNlY3JldA=="]
            let (_, sameOrigin) = try await get(client, "\(a)/redirect?status=302&to=\(a)/echo", headers: secret)
            #expect(sameOrigin.authorization == "Basic YWRhOnNlY3JldA==")
            let (crossResponse, crossOrigin) = try await get(client, "\(a)/redirect?status=302&to=\(b)/echo", headers: secret)
            #expect(crossResponse.url == "\(b)/echo")
            #expect(crossOrigin.authorization == "-")
            let (_, with307) = try await get(client, "\(a)/redirect?status=307&to=\(b)/echo", headers: secret)
            #expect(with307.authorization == "-")
        }
    }

    @Test func test_K_41_authorizationDoesNotComeBackWhenTheChainReturnsToTheFirstOrigin() async throws {
        try await withServer(jar: JarFixture.jar()) { a, b, client in
            let secret: HTTPHeaders = ["Authorization": "Basic YWRhOnNlY3JldA=="]
            let back = "\(b)/redirect?status=302&to=\(a)/echo"
            let encoded = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (response, echo) = try await get(client, "\(a)/redirect?status=302&to=\(encoded)", headers: secret)
            #expect(response.url == "\(a)/echo" && response.redirects == 2)
            #expect(echo.authorization == "-", "once a chain left the origin, the credentials stay behind (Fetch)")
        }
    }

    @Test func test_K_41_aHandWrittenCookieHeaderIsNotForwardedToAnotherOrigin() async throws {
        try await withServer(jar: JarFixture.jar()) { a, b, client in
            let manual: HTTPHeaders = ["Cookie": "manual=1"]
            let (_, cross) = try await get(client, "\(a)/redirect?to=\(b)/echo", headers: manual)
            #expect(cross.cookie == "-")
            let (_, same) = try await get(client, "\(a)/redirect?to=/echo", headers: manual)
            #expect(same.cookie == "manual=1")
        }
    }

    @Test func test_K_41_theBearerTokenGoesOnlyToTheFirstOrigin() async throws {
        let bearer = BearerTokens(accessToken: "tok-1") { _ in "tok-2" }
        try await withServer(jar: JarFixture.jar(), bearer: bearer) { a, b, client in
            let (_, same) = try await get(client, "\(a)/redirect?to=/echo")
            #expect(same.authorization == "Bearer tok-1")
            let (_, cross) = try await get(client, "\(a)/redirect?to=\(b)/echo")
            #expect(cross.authorization == "-")
        }
    }

    // MARK: - K-37 on the wire

    @Test func test_K_37_exactlyOneCookieHeaderIsSent() async throws {
        let jar = JarFixture.jar()
        try await withServer(jar: jar) { a, _, client in
            jar.store(setCookie: "first=1; Path=/", from: try #require(CookieURL(a + "/")))
            jar.store(setCookie: "deeper=2; Path=/echo", from: try #require(CookieURL(a + "/")))
            let (_, plain) = try await get(client, "\(a)/echo")
            #expect(plain.cookieFields == 1)
            #expect(plain.cookie == "deeper=2; first=1")
            let (_, withManual) = try await get(client, "\(a)/echo", headers: ["Cookie": "manual=1"])
            #expect(withManual.cookieFields == 1)
            #expect(withManual.cookie == "manual=1; deeper=2; first=1")
        }
    }
}
