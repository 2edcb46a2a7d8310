import ArgumentParser
import Foundation
import Tessera
import TesseraServer

/// `tessera keys create|list|revoke`: API keys in the server's store.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys in the server's store.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key for a user; the key is printed once.")
        @OptionGroup var options: ServerOptions
        @Option(name: .long, help: "The key's owner.") var user: String
        @Option(name: .long, help: "A label for the key.") var name: String
        @Option(name: .long, help: "A scope the key carries (repeatable).") var scope: [String] = []
        @Option(name: .long, help: "Days until the key expires (default never).") var expiresInDays: Int?

        func run() async throws {
            let (owner, label, scopes, days) = (user, name, scope, expiresInDays)
            if let days, days < 1 { throw ValidationError("--expires-in-days must be at least 1") }
            let created = try await AdminContext.run(options) { services in
                let user = try await AdminContext.user(owner, in: services)
                return try await services.apiKeys.create(owner: user.id, name: label, scopes: scopes,
                                                         lifetime: days.map { TimeInterval($0) * 86_400 })
            }
            print(created.key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per key: ID, USER, NAME, SCOPES, STATE (tab-separated); never the key itself.")
        @OptionGroup var options: ServerOptions
        @Option(name: .long, help: "Only this user's keys.") var user: String?

        func run() async throws {
            let only = user
            let lines = try await AdminContext.run(options) { services in
                let users = try await AdminContext.users(only, in: services)
                var lines: [String] = []
                let now = Date()
                for user in users {
                    for key in try await services.apiKeys.keys(ofOwner: user.id) {
                        let state = key.revokedAt != nil ? "revoked" : (key.expiresAt.map { $0 <= now } ?? false) ? "expired" : "active"
                        lines.append([key.id, user.username.value, key.name, key.scopes.joined(separator: ","), state].joined(separator: "\t"))
                    }
                }
                return lines
            }
            for line in lines { print(line) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by its ID.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The key's ID (from keys list).") var id: String

        func run() async throws {
            let id = id
            try await AdminContext.run(options) { services in
                guard let record = try await services.apiKeys.store.record(id: id), record.revokedAt == nil,
                      try await services.apiKeys.revoke(id: id, ofOwner: record.owner) else {
                    throw AdminFailure("there is no active API key \(id)")
                }
            }
            print("revoked \(id)")
        }
    }
}
