import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraServer

/// `GET`/`PATCH /api/session/data`: merging, removal, limits, who may call it.
struct SessionDataRouteTests {
    static let password = "correct horse battery 9"

    /// A signed-in session's `Cookie` header and CSRF token, through `POST /api/session`.
    static func signIn(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: #"{"username":"alice","password":"\#(password)"}"#)) { response in
            #expect(response.status == .ok, "\(response.text)")
            let cookie = try #require(response.cookie("tessera_session"))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            return (cookie, try #require(body["csrfToken"] as? String))
        }
    }

    static func patch(_ client: some TestClientProtocol, _ json: String, cookie: String?, csrf: String?,
                      extra: [(String, String)] = []) async throws -> TestResponse {
        var headers: [(String, String)] = [("Content-Type", "application/json")] + extra
        if let cookie { headers.append(("Cookie", cookie)) }
        if let csrf { headers.append(("X-CSRF-Token", csrf)) }
        return try await client.execute(uri: "/api/session/data", method: .patch, headers: .with(headers), body: ByteBuffer(string: json)) { $0 }
    }

    static func get(_ client: some TestClientProtocol, cookie: String?, extra: [(String, String)] = []) async throws -> TestResponse {
        try await client.execute(uri: "/api/session/data", method: .get, headers: .with((cookie.map { [("Cookie", $0)] } ?? []) + extra)) { $0 }
    }

    /// Runs `body` against a server with the user `alice`.
    static func withAlice(_ body: @Sendable @escaping (TesseraServer, any TestClientProtocol) async throws -> Void) async throws {
        try await withServer { server in
            _ = try await server.services.createUser(named: "alice", password: password)
            try await server.testApplication.test(.router) { client in try await body(server, client) }
        }
    }

    @Test("PATCH merges keys into the session's data, null removes one, GET reads it back; values keep their JSON")
    func mergeAndRemove() async throws {
        try await Self.withAlice { _, client in
            let (cookie, csrf) = try await Self.signIn(client)
            var response = try await Self.get(client, cookie: cookie)
            #expect(response.status == .ok)
            #expect(response.text == #"{"data":{}}"#)

            response = try await Self.patch(client, #"{"theme":"dark","n":1,"nested":{"b":[1,2.5,"é"],"a":null}}"#, cookie: cookie, csrf: csrf)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.text == #"{"data":{"n":1,"nested":{"b":[1,2.5,"é"],"a":null},"theme":"dark"}}"#)
            #expect(response.headers[.cacheControl] == "no-store")

            response = try await Self.patch(client, #"{"n":null,"lang":"fr","missing":null}"#, cookie: cookie, csrf: csrf)
            #expect(response.status == .ok)
            #expect(response.text == #"{"data":{"lang":"fr","nested":{"b":[1,2.5,"é"],"a":null},"theme":"dark"}}"#)

            response = try await Self.get(client, cookie: cookie)
            #expect(response.text == #"{"data":{"lang":"fr","nested":{"b":[1,2.5,"é"],"a":null},"theme":"dark"}}"#)
            // The session still works as a session: the data sits beside Tessera's own values.
            try await client.execute(uri: "/api/me", method: .get, headers: .with([("Cookie", cookie)])) { #expect($0.status == .ok) }
        }
    }

    @Test("Bad keys, oversized values, too many keys, non-objects and duplicate keys get 400 problem details that never echo the value")
    func limits() async throws {
        try await Self.withAlice { _, client in
            let (cookie, csrf) = try await Self.signIn(client)
            _ = try await Self.patch(client, #"{"keep":true}"#, cookie: cookie, csrf: csrf)
            let secret = "SECRET-" + String(repeating: "x", count: SessionDataRoutes.Limits.valueBytes)
            let manyKeys = "{" + (0...SessionDataRoutes.Limits.keys).map { #""k\#($0)":1"# }.joined(separator: ",") + "}"
            let cases: [(String, String)] = [
                (#"{"has space":1}"#, "session_data.bad_key"),
                (#"{"":1}"#, "session_data.bad_key"),
                ("{\"\(String(repeating: "k", count: 65))\":1}", "session_data.bad_key"),
                (#"{"ключ":1}"#, "session_data.bad_key"),
                ("{\"big\":\"\(secret)\"}", "session_data.value_too_large"),
                (manyKeys, "session_data.too_many_keys"),
                (#"["theme"]"#, "session_data.not_an_object"),
                (#"{"theme":"#, "session_data.not_an_object"),
                (#"{"a":1,"a":2}"#, "session_data.duplicate_key"),
            ]
            for (body, code) in cases {
                let response = try await Self.patch(client, body, cookie: cookie, csrf: csrf)
                #expect(response.status == .badRequest, "\(body.prefix(40)): \(response.text)")
                #expect(response.problemCode == code, "\(body.prefix(40)): \(response.text)")
                #expect(!response.text.contains("SECRET"))
            }
            // A value of exactly the limit fits; one key more than the limit across requests does not.
            let fits = "\"" + String(repeating: "y", count: SessionDataRoutes.Limits.valueBytes - 2) + "\""
            #expect(try await Self.patch(client, "{\"big\":\(fits)}", cookie: cookie, csrf: csrf).status == .ok)
            let half = SessionDataRoutes.Limits.keys / 2
            let first = "{" + (0..<half).map { #""a\#($0)":1"# }.joined(separator: ",") + "}"
            let second = "{" + (0..<half).map { #""b\#($0)":1"# }.joined(separator: ",") + "}"
            #expect(try await Self.patch(client, first, cookie: cookie, csrf: csrf).status == .ok)
            let over = try await Self.patch(client, second, cookie: cookie, csrf: csrf)
            #expect(over.status == .badRequest)
            #expect(over.problemCode == "session_data.too_many_keys")
            // Refused changes changed nothing.
            let data = try await Self.get(client, cookie: cookie).text
            #expect(data.contains(#""keep":true"#) && data.contains(#""a0":1"#) && !data.contains(#""b0""#) && !data.contains(#""theme""#))
        }
    }

    @Test("A total over 64 KiB per session is refused, and a body over the upload limit gets 413")
    func totalSize() async throws {
        try await Self.withAlice { _, client in
            let (cookie, csrf) = try await Self.signIn(client)
            let value = "\"" + String(repeating: "z", count: SessionDataRoutes.Limits.valueBytes - 2) + "\""
            let count = SessionDataRoutes.Limits.totalBytes / SessionDataRoutes.Limits.valueBytes + 1
            let body = "{" + (0..<count).map { "\"v\($0)\":\(value)" }.joined(separator: ",") + "}"
            let response = try await Self.patch(client, body, cookie: cookie, csrf: csrf)
            #expect(response.status == .badRequest)
            #expect(response.problemCode == "session_data.too_large")
            let huge = "{\"h\":\"" + String(repeating: "h", count: SessionDataRoutes.Limits.bodyBytes) + "\"}"
            let tooLarge = try await Self.patch(client, huge, cookie: cookie, csrf: csrf)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.problemCode == "session_data.too_large")
        }
    }

    @Test("401 without a signed-in session, also for an API key or a bearer token; 403 for a cookie PATCH without its CSRF token")
    func whoMayCall() async throws {
        try await Self.withAlice { server, client in
            let alice = try #require(try await server.services.user(named: "alice"))
            let key = try await server.services.apiKeys.create(owner: alice.id, name: "t", scopes: ["read"]).key
            let token = try await server.services.accessTokens.issue(subject: alice.id).token

            var response = try await Self.get(client, cookie: nil)
            #expect(response.status == .unauthorized)
            #expect(response.problemCode == "session.absent")
            #expect(response.headers[.wwwAuthenticate] != nil)
            for extra in [[("X-API-Key", key)], [("Authorization", "Bearer " + token)]] {
                response = try await Self.get(client, cookie: nil, extra: extra)
                #expect(response.status == .unauthorized, "\(extra[0].0)")
                response = try await Self.patch(client, #"{"a":1}"#, cookie: nil, csrf: nil, extra: extra)
                #expect(response.status == .unauthorized, "\(extra[0].0)")
            }

            let (cookie, csrf) = try await Self.signIn(client)
            response = try await Self.patch(client, #"{"a":1}"#, cookie: cookie, csrf: nil)
            #expect(response.status == .forbidden)
            #expect(response.problemCode == "csrf.token_missing")
            response = try await Self.patch(client, #"{"a":1}"#, cookie: cookie, csrf: "not-the-token")
            #expect(response.status == .forbidden)
            response = try await Self.patch(client, #"{"a":1}"#, cookie: cookie, csrf: csrf, extra: [("Origin", "https://evil.example")])
            #expect(response.status == .forbidden)
            #expect(try await Self.get(client, cookie: cookie).text == #"{"data":{}}"#)

            // After logout the cookie has no data to read.
            try await client.execute(uri: "/api/session", method: .delete, headers: .with([("Cookie", cookie), ("X-CSRF-Token", csrf)])) {
                #expect($0.status == .noContent)
            }
            #expect(try await Self.get(client, cookie: cookie).status == .unauthorized)
        }
    }
}
