import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import TesseraClient

/// `tessera login URL`: logs in once and keeps the session cookie in the jar,
/// never the password.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a server and keep its session cookie in the jar (never the password).",
        discussion: """
        Without --form, URL is a Tessera server (tessera serve) and the login goes through its JSON API \
        (POST /api/session). With --form, URL is any site's login page: the page's form is filled in, \
        its hidden inputs (CSRF tokens) kept, and submitted like a browser would.
        """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The server (tessera serve) or, with --form, the login page.") var url: String
    @Option(name: .shortAndLong, help: "The user name; asked for when omitted.") var user: String?
    @Flag(name: .long, help: "Read the password from the first line of standard input instead of asking.") var passwordStdin = false
    @Flag(name: .long, help: "Log in through the HTML form on the page at URL.") var form = false
    @Option(name: .customLong("field"), help: ArgumentHelp("With --form: set a form field, NAME=VALUE (repeatable).", valueName: "name=value"))
    var fields: [String] = []
    @Option(name: .long, help: "With --form: the field that takes the user name (found by itself otherwise).") var userField: String?

    func validate() throws {
        if passwordStdin && user == nil { throw ValidationError("--password-stdin needs --user, since standard input carries the password") }
        if !form && (!fields.isEmpty || userField != nil) { throw ValidationError("--field and --user-field go with --form") }
        for field in fields where !field.contains("=") { throw ValidationError("--field takes NAME=VALUE (no = found)") }
        if CookieURL(url) == nil { throw ValidationError("URL must be an absolute http or https URL") }
    }

    func run() async throws {
        let name = try user ?? PasswordPrompt.readVisible(prompt: "User: ")
        let password = try PasswordPrompt.read(prompt: "Password for \(name): ", fromStandardInput: passwordStdin)
        let (url, form, fields, userField) = (url, form, fields, userField)
        let message = try await ClientContext.run(client) { client in
            if form {
                return try await FormLogin(client: client, pageURL: url, fields: fields, userField: userField)
                    .logIn(user: name, password: password)
            }
            if let to = CookieURL(url), !to.isSecure { printError("warning: sending the password to \(to.host) over plain http") }
            let response = try await client.send(ClientRequest(
                method: .POST, url: try ClientContext.endpoint(url, "/api/session"),
                headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: try ClientContext.json(["username": name, "password": password])))
            guard response.isSuccess else { throw CommandFailure("login failed: \(ClientContext.explanation(of: response))") }
            return "logged in to \(CookieURL(url)?.host ?? url) as \(name)"
        }
        print(message)
    }
}
