import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import TesseraClient
@testable import TesseraServer

/// ``AuthenticatedHTTPClient`` against a real `TesseraServer` listening on
/// loopback: the cookie login with Tessera's CSRF endpoint, and token mode
/// with one refresh for many callers through `POST /api/tokens/refresh`.
@Suite("AuthenticatedHTTPClient against tessera serve")
struct ClientAgainstServerTests {
    static let password = "correct horse battery staple"

    func withLiveServer(_ body: @Sendable @escaping (String) async throws -> Void) async throws {
        try await withServer { server in
            _ = try await server.services.createUser(named: "alice", password: Self.password)
            try await server.testApplication.test(.live) { testClient in
                try await body("http://127.0.0.1:\(try #require(testClient.port))")
            }
        }
    }

    static func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    static func field(_ name: String, _ response: ClientResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?[name] as? String
    }

    @Test func aCookieLoginThenAnUnsafeRequestGetsItsCSRFTokenFromTheServer() async throws {
        try await withLiveServer { base in
            let jar = CookieJar()
            let client = AuthenticatedHTTPClient(jar: jar, csrf: CSRFEcho(endpoint: .tessera))
            do {
                let login = try await client.send(ClientRequest(method: .POST, url: base + "/api/session",
                                                                headers: ["Content-Type": "application/json"],
                                                                body: try Self.json(["username": "alice", "password": Self.password])))
                #expect(login.status == .ok)
                #expect(jar.allCookies().contains { $0.name == "tessera_session" && $0.httpOnly })
                let created = try await client.send(ClientRequest(method: .POST, url: base + "/api/keys",
                                                                  headers: ["Content-Type": "application/json"],
                                                                  body: try Self.json(["name": "k", "scopes": ["read"], "expiresInDays": 1])))
                #expect(created.status == .created, "\(created.text)")
                // Without the echo, the same request is refused: the server's CSRF check is real.
                let bare = AuthenticatedHTTPClient(jar: jar, csrf: .disabled)
                let refused = try await bare.send(ClientRequest(method: .POST, url: base + "/api/keys",
                                                                headers: ["Content-Type": "application/json"],
                                                                body: try Self.json(["name": "k2", "scopes": ["read"], "expiresInDays": 1])))
                #expect(refused.status == .forbidden)
                try await bare.shutdown()
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test func tokenModeRefreshesOnceForManyCallersWithAnExpiredToken() async throws {
        try await withLiveServer { base in
            let setup = AuthenticatedHTTPClient(jar: CookieJar())
            let grant = try await setup.send(ClientRequest(method: .POST, url: base + "/api/tokens",
                                                           headers: ["Content-Type": "application/json"],
                                                           body: try Self.json(["username": "alice", "password": Self.password])))
            try await setup.shutdown()
            #expect(grant.status == .ok)
            let refreshToken = Mutex(try #require(Self.field("refresh_token", grant)))
            let refreshCalls = Atomic<Int>(0)

            let refresher = AuthenticatedHTTPClient(jar: CookieJar())
            let tokens = BearerTokens(accessToken: "expired.or.revoked.token") { _ in
                refreshCalls.add(1, ordering: .relaxed)
                let current = refreshToken.withLock { $0 }
                let reply = try await refresher.send(ClientRequest(method: .POST, url: base + "/api/tokens/refresh",
                                                                   headers: ["Content-Type": "application/json"],
                                                                   body: try Self.json(["refresh_token": current])))
                guard reply.status == .ok, let access = Self.field("access_token", reply), let next = Self.field("refresh_token", reply) else {
                    throw TokenRefreshFailed(status: reply.status.code)
                }
                refreshToken.withLock { $0 = next }
                return access
            }
            let client = AuthenticatedHTTPClient(jar: CookieJar(), bearer: tokens)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await client.send(ClientRequest(url: base + "/api/me")).status.code }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            try await client.shutdown()
            try await refresher.shutdown()
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(refreshCalls.load(ordering: .relaxed) == 1)
            #expect(await tokens.refreshCount == 1)
        }
    }
}

/// The test's refresh call did not get new tokens.
struct TokenRefreshFailed: Error {
    let status: UInt
}
