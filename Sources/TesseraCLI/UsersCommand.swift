import ArgumentParser
import Foundation
import Tessera
import TesseraServer

/// `tessera users add|list|disable|set-password`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the accounts of the server's store.",
        subcommands: [Add.self, List.self, Disable.self, SetPassword.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; without --password-stdin a random password is printed once.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The login name: 1 to 64 of a-z 0-9 . _ @ + -.") var name: String
        @Flag(name: .long, help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            let (password, generated) = try AdminContext.password(fromStandardInput: passwordStdin)
            let name = name
            let user = try await AdminContext.run(options) { services in
                do { return try await services.createUser(named: name, password: password) } catch { throw AdminFailure("\(error)") }
            }
            print("created \(user.username)")
            if generated { print("password: \(password)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per account: NAME, TAB, active or disabled.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let users = try await AdminContext.run(options) { try await $0.storage.users.users() }
            for user in users { print("\(user.username)\t\(user.disabled ? "disabled" : "active")") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions, API keys and tokens stop working at once.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The login name.") var name: String

        func run() async throws {
            let name = name
            try await AdminContext.run(options) { services in
                try await services.disable(try await AdminContext.user(name, in: services))
            }
            print("disabled \(name.lowercased())")
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set an account's password; its sessions and tokens end. Without --password-stdin a random one is printed.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The login name.") var name: String
        @Flag(name: .long, help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            let (password, generated) = try AdminContext.password(fromStandardInput: passwordStdin)
            let name = name
            try await AdminContext.run(options) { services in
                let user = try await AdminContext.user(name, in: services)
                do { try await services.setPassword(of: user, to: password) } catch { throw AdminFailure("\(error)") }
                try await services.revokeEverything(of: user.id)
                services.audit.record(.passwordChanged(userID: user.id))
            }
            print("password set for \(name.lowercased())")
            if generated { print("password: \(password)") }
        }
    }
}
