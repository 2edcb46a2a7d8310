import ArgumentParser
import Foundation
import Tessera
import TesseraServer

/// `tessera sessions list|revoke`.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List and end sessions in the server's store.",
        subcommands: [List.self, Revoke.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per live session: USER, HANDLE, CREATED, LAST-SEEN, ADDRESS (tab-separated).")
        @OptionGroup var options: ServerOptions
        @Option(name: .long, help: "Only this user's sessions.") var user: String?

        func run() async throws {
            let only = user
            let lines = try await AdminContext.run(options) { services in
                let users = try await AdminContext.users(only, in: services)
                var lines: [String] = []
                for user in users {
                    for session in try await services.sessions.sessions(ofUser: user.id) {
                        lines.append([user.username.value, session.handle.description, session.createdAt.formatted(.iso8601),
                                      session.lastSeenAt.formatted(.iso8601), session.clientAddress ?? "-"].joined(separator: "\t"))
                    }
                }
                return lines
            }
            for line in lines { print(line) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End one session of a user by its handle, or all of them.")
        @OptionGroup var options: ServerOptions
        @Option(name: .long, help: "Whose session.") var user: String
        @Flag(name: .long, help: "End every session of the user.") var all = false
        /// Collected raw, because one handle in 64 starts with `-` and would otherwise read as an option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The session's handle (from sessions list).", valueName: "handle")) var handles: [String] = []

        private var handle: String? { handles.first }

        func validate() throws {
            if handles.count > 1 { throw ValidationError("give one HANDLE at a time") }
            if all == (handle != nil) { throw ValidationError("give either a HANDLE or --all") }
        }

        func run() async throws {
            let (name, handle, all) = (user, handle, all)
            let message = try await AdminContext.run(options) { services in
                let user = try await AdminContext.user(name, in: services)
                if all {
                    try await services.sessions.revokeAll(ofUser: user.id)
                    return "ended every session of \(user.username)"
                }
                guard let handle = handle.flatMap(SessionHandle.init), try await services.sessions.revoke(handle, ofUser: user.id) else {
                    throw AdminFailure("\(user.username) has no session with that handle")
                }
                return "ended the session"
            }
            print(message)
        }
    }
}
