import ArgumentParser
import Foundation
import TesseraClient

/// `tessera jar set|header|list`: the jar from the shell, for tests and debugging.
struct JarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jar",
        abstract: "Look into and try out the cookie jar (RFC 6265bis rules, curl's cookies.txt format).",
        subcommands: [Set.self, Header.self, List.self]
    )

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store one Set-Cookie header value as if URL's response had sent it.",
            discussion: "Exits 1, saying why, when the jar's rules refuse the cookie.")
        @OptionGroup var client: ClientOptions
        @Option(name: .long, help: "The URL the response came from.") var url: String
        /// Collected raw, so that a value such as `-a=bar` is not read as an option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The Set-Cookie header's value, such as 'sid=abc; Path=/; Secure'.", valueName: "set-cookie"))
        var words: [String] = []

        func validate() throws {
            if words.count != 1 { throw ValidationError("give exactly one Set-Cookie value (quote it)") }
        }

        func run() throws {
            guard let from = CookieURL(url) else { throw ValidationError("--url must be an absolute http or https URL") }
            let file = client.jarFile
            let jar = try file.load()
            let outcome = jar.store(setCookie: words[0], from: from)
            try file.save(jar, keepingSessionCookies: true)
            if case .rejected(let reason) = outcome { throw CommandFailure("ignored: \(reason)") }
        }
    }

    struct Header: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the Cookie header value the jar would send to URL (an empty line if none).")
        @OptionGroup var client: ClientOptions
        @Option(name: .long, help: "The URL of the request.") var url: String

        func run() throws {
            guard let to = CookieURL(url) else { throw ValidationError("--url must be an absolute http or https URL") }
            print(try client.jarFile.load().cookieHeader(for: to) ?? "")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the jar's cookies, one per line: DOMAIN PATH NAME EXPIRES FLAGS (values hidden unless --values).")
        @OptionGroup var client: ClientOptions
        @Flag(name: .long, help: "Print each cookie's value too, as a last column.") var values = false

        func run() throws {
            for cookie in try client.jarFile.load().allCookies() {
                let domain = (cookie.hostOnly ? "" : ".") + cookie.domain
                let expires = cookie.expires.map { $0.formatted(.iso8601) } ?? "session"
                var flags = [String]()
                if cookie.secure { flags.append("Secure") }
                if cookie.httpOnly { flags.append("HttpOnly") }
                var columns = [domain, cookie.path, cookie.name.isEmpty ? "(nameless)" : cookie.name, expires, flags.isEmpty ? "-" : flags.joined(separator: ",")]
                if values { columns.append(cookie.value) }
                print(columns.joined(separator: "\t"))
            }
        }
    }
}
