import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Tessera
@testable import TesseraHummingbird
@testable import TesseraSQLite

/// The README's example app: the README holds this file's twin word for
/// word, and the flow a reader would try runs over real HTTP.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeShowsTheExampleThatIsCompiledHere() throws {
        let here = URL(fileURLWithPath: #filePath)
        let example = try String(contentsOf: here.deletingLastPathComponent().appendingPathComponent("ReadmeExample.swift"), encoding: .utf8)
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + example + "```\n"), "README.md's Hummingbird example differs from Tests/TesseraTests/Hummingbird/ReadmeExample.swift")
    }

    @Test func signInSeeTheAccountMakeAKeyCallTheAPIAndSignOut() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-readme-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let storage = try await SQLiteStorage.open(path: path)
        let users = MemoryCredentialDirectory()
        let hasher = PasswordTestSupport.hasher()
        users.add(login: "ada", PasswordCredential(userID: "ada", passwordHash: try await hasher.hash("correct horse battery")))
        let app = makeExampleApp(storage: storage, users: users, hasher: hasher)

        try await app.test(.live) { client in
            let (anonymous, token) = try await client.execute(uri: "/login", method: .get) { response in
                (try #require(response.cookie("__Host-tessera-session")), try Self.field("csrfToken", of: response))
            }
            try await client.execute(uri: "/login", method: .post, headers: .with([("Content-Type", "application/json"), ("Cookie", anonymous), ("X-CSRF-Token", token)]),
                                     body: ByteBuffer(string: #"{"username":"ada","password":"wrong password"}"#)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.problemCode == "login.failed")
            }
            let (cookie, newToken) = try await client.execute(
                uri: "/login", method: .post, headers: .with([("Content-Type", "application/json"), ("Cookie", anonymous), ("X-CSRF-Token", token)]),
                body: ByteBuffer(string: #"{"username":"ada","password":"correct horse battery"}"#)
            ) { response in
                #expect(response.status == .ok)
                return (try #require(response.cookie("__Host-tessera-session")), try Self.field("csrfToken", of: response))
            }
            #expect(cookie != anonymous)
            try await client.execute(uri: "/account", method: .get, headers: .with([("Cookie", cookie)])) { response in
                #expect(response.text == "Signed in as ada\n")
            }
            let key = try await client.execute(uri: "/account/keys", method: .post, headers: .with([("Cookie", cookie), ("X-CSRF-Token", newToken)])) { response in
                #expect(response.status == .ok)
                return try Self.field("key", of: response)
            }
            try await client.execute(uri: "/api/reports", method: .get, headers: .with([("X-API-Key", key)])) { response in
                #expect(response.status == .ok)
                try #expect(Self.field("owner", of: response) == "ada")
            }
            try await client.execute(uri: "/logout", method: .post, headers: .with([("Cookie", cookie), ("X-CSRF-Token", newToken)])) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/account", method: .get, headers: .with([("Cookie", cookie), ("Accept", "text/html")])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?rd=/account")
            }
        }
        await storage.close()
    }

    static func field(_ name: String, of response: TestResponse) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
        return try #require(object?[name], "\(response.text)")
    }
}
