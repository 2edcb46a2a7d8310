import ArgumentParser
import Foundation
import Logging
import Tessera
import TesseraServer

/// Opens the server's store and keys for an admin command, runs it, and
/// closes them: the admin commands work on exactly what `serve` uses.
enum AdminContext {
    static func run<Result: Sendable>(_ options: ServerOptions, _ body: @Sendable (ServerServices) async throws -> Result) async throws -> Result {
        let configuration = try await options.configuration()
        let logger = {
            var logger = Logger(label: "tessera.admin")
            logger.logLevel = .warning
            return logger
        }()
        let keys = try ServerKeys.loadOrCreate(in: configuration.dataDirectory, logger: logger)
        return try await ServerStorage.withStorage(at: configuration.resolvedStore, logger: logger) { storage in
            try await body(try await ServerServices(configuration: configuration, storage: storage, keys: keys, logger: logger))
        }
    }

    /// The account `name`, or a usage error naming it.
    static func user(_ name: String, in services: ServerServices) async throws -> UserRecord {
        guard let user = try await services.user(named: name) else { throw AdminFailure("there is no user \(name)") }
        return user
    }

    /// The account `name`, or every account when `name` is `nil`.
    static func users(_ name: String?, in services: ServerServices) async throws -> [UserRecord] {
        if let name { return [try await user(name, in: services)] }
        return try await services.storage.users.users()
    }

    /// A password from standard input (one line), or a fresh random one.
    static func password(fromStandardInput: Bool) throws -> (password: String, generated: Bool) {
        guard fromStandardInput else { return (ServerServices.randomPassword(), true) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw AdminFailure("no password on standard input") }
        return (line, false)
    }
}

/// An admin command that could not be done: printed, exit status 1.
struct AdminFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
