import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraServer

/// The server's HTTP behaviour that the end-to-end suite (Tests/e2e) does
/// not reach from outside: CORS, security headers, content types, forward
/// auth with each credential.
struct ServerHTTPTests {
    static let origin = HTTPField.Name("Origin")!

    @Test("Credentialed CORS only for listed origins: the origin echoed with credentials, never a wildcard; preflights answered")
    func corsOnlyForListedOrigins() async throws {
        try await withServer({ $0.corsOrigins = ["https://app.example.com"] }) { server in
            try await server.testApplication.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get, headers: [Self.origin: "https://app.example.com"]) { response in
                    #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                    #expect(response.headers[.accessControlAllowCredentials] == "true")
                    #expect(response.headers[values: .vary].contains("Origin"))
                }
                try await client.execute(uri: "/healthz", method: .get, headers: [Self.origin: "https://evil.example"]) { response in
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                    #expect(response.headers[.accessControlAllowCredentials] == nil)
                }
                let preflight: HTTPFields = [Self.origin: "https://app.example.com", .accessControlRequestMethod: "DELETE",
                                             .accessControlRequestHeaders: "x-csrf-token"]
                try await client.execute(uri: "/api/session", method: .options, headers: preflight) { response in
                    #expect(response.status == .noContent)
                    #expect(response.headers[.accessControlAllowMethods]?.contains("DELETE") == true)
                    #expect(response.headers[.accessControlAllowHeaders]?.contains("X-CSRF-Token") == true)
                }
                var refused = preflight
                refused[Self.origin] = "https://evil.example"
                try await client.execute(uri: "/api/session", method: .options, headers: refused) { response in
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                    #expect(response.headers[.accessControlAllowMethods] == nil)
                }
            }
        }
    }

    @Test("ASVS-3.5.2 / CS-C5: the JSON sign-in refuses simple content types before looking at the password")
    func signInRefusesSimpleContentTypes() async throws {
        try await withServer { server in
            try await server.testApplication.test(.router) { client in
                for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                    try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: type],
                                             body: ByteBuffer(string: #"{"username":"admin","password":"x"}"#)) { response in
                        #expect(response.status == .unsupportedMediaType, "\(type)")
                    }
                }
            }
        }
    }

    @Test("ASVS-3.4.x / ASVS-14.3.2: pages are no-store, unframeable, script-free by CSP")
    func pagesCarrySecurityHeaders() async throws {
        try await withServer { server in
            try await server.testApplication.test(.router) { client in
                try await client.execute(uri: "/login", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    let html = String(buffer: response.body)
                    #expect(html.contains(#"name="csrf_token""#) && html.contains(#"id="login-form""#))
                    #expect(!html.contains("<script"))
                }
            }
        }
    }

    @Test("Forward auth: 401 with no or a bad credential; 200 naming the user, method and scopes for an API key and an access token")
    func forwardAuthNamesTheUser() async throws {
        try await withServer { server in
            let alice = try await server.services.createUser(named: "Alice", password: "correct horse battery 9")
            let key = try await server.services.apiKeys.create(owner: alice.id, name: "t", scopes: ["reports:read", "deploy"])
            let token = try await server.services.accessTokens.issue(subject: alice.id).token
            try await server.testApplication.test(.router) { client in
                try await client.execute(uri: "/auth/verify", method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/auth/verify", method: .get,
                                         headers: [HTTPField.Name("X-API-Key")!: key.key + "x"]) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/auth/verify", method: .get, headers: [HTTPField.Name("X-API-Key")!: key.key]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[ForwardAuthRoute.userHeader] == "alice")
                    #expect(response.headers[ForwardAuthRoute.methodHeader] == "api-key")
                    #expect(response.headers[ForwardAuthRoute.scopesHeader] == "deploy,reports:read")
                }
                try await client.execute(uri: "/auth/verify", method: .get, headers: [.authorization: "Bearer " + token]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[ForwardAuthRoute.methodHeader] == "jwt")
                }
                // A disabled account's credentials stop at once.
                try await server.services.disable(alice)
                try await client.execute(uri: "/auth/verify", method: .get, headers: [HTTPField.Name("X-API-Key")!: key.key]) {
                    #expect($0.status == .unauthorized)
                }
                try await client.execute(uri: "/auth/verify", method: .get, headers: [.authorization: "Bearer " + token]) {
                    #expect($0.status == .unauthorized)
                }
            }
        }
    }
}
