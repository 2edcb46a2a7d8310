import ArgumentParser
import Foundation

/// The `tessera` executable.
struct TesseraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Web authentication and sessions: signed and sealed cookies, key rings, JWTs, Python-format compatibility.",
        discussion: """
        Exit status: 0 on success, 1 when a token is rejected or an operation fails, 2 for usage errors.
        """,
        subcommands: [ServeCommand.self, UsersCommand.self, SessionsCommand.self, KeysCommand.self, LoginCommand.self, RequestCommand.self, WhoamiCommand.self, LogoutCommand.self, JarCommand.self, KeygenCommand.self, CookieCommand.self, JWTCommand.self, BenchCommand.self, BenchServerCommand.self]
    )
}

/// Runs the command tree with Tessera's exit codes: usage errors exit 2 (not
/// ArgumentParser's 64), so scripts can tell "you typed it wrong" from "the
/// token is bad" (1).
@main
enum TesseraMain {
    static func main() async {
        do {
            var command = try TesseraCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = TesseraCommand.exitCode(for: error)
            let message = TesseraCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A failure reported to the user with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
