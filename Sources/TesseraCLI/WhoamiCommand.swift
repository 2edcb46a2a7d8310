import ArgumentParser
import Foundation
import TesseraClient

/// `tessera whoami URL`: who the jar is logged in as on a Tessera server.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Print the user the jar is logged in as on a Tessera server (GET /api/me).")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The server's URL.") var url: String

    func validate() throws {
        if CookieURL(url) == nil { throw ValidationError("URL must be an absolute http or https URL") }
    }

    func run() async throws {
        let url = url
        let response = try await ClientContext.run(client) { client in
            try await client.send(ClientRequest(url: try ClientContext.endpoint(url, "/api/me"), headers: ["Accept": "application/json"]))
        }
        if response.status == .unauthorized { throw CommandFailure("not logged in to \(CookieURL(url)?.host ?? url)") }
        guard response.isSuccess, let username = ClientContext.field("username", of: response) else {
            throw CommandFailure(ClientContext.explanation(of: response))
        }
        print(username)
    }
}
