import ArgumentParser
import Foundation
import TesseraClient

/// `tessera logout URL`: ends the session on the server, then forgets its cookies.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the session on a Tessera server (DELETE /api/session), then drop the host's cookies from the jar.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The server's URL.") var url: String

    func validate() throws {
        if CookieURL(url) == nil { throw ValidationError("URL must be an absolute http or https URL") }
    }

    func run() async throws {
        let url = url
        let host = CookieURL(url)!.host
        let message = try await ClientContext.run(client) { client in
            let response = try await client.send(ClientRequest(method: .DELETE, url: try ClientContext.endpoint(url, "/api/session"),
                                                               headers: ["Accept": "application/json"]))
            guard response.isSuccess || response.status == .unauthorized else {
                throw CommandFailure("logout failed: \(ClientContext.explanation(of: response)); the cookies are kept")
            }
            client.jar.removeCookies(for: CookieURL(url)!)
            return response.isSuccess ? "logged out of \(host)" : "the session on \(host) had already ended; its cookies are dropped"
        }
        print(message)
    }
}
