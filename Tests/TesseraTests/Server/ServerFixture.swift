import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import Tessera
@testable import TesseraServer

/// A real `TesseraServer` over a temporary data directory and SQLite file,
/// with cheap password hashing; removed afterwards.
func withServer<Result: Sendable>(
    _ adjust: @Sendable (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (TesseraServer) async throws -> Result
) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-server-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = ServerConfiguration()
    configuration.dataDirectory = directory
    configuration.scryptLogN = 10
    adjust(&configuration)
    var logger = Logger(label: "tessera.test.server")
    logger.logLevel = .error
    let keys = try ServerKeys.loadOrCreate(in: directory, logger: logger)
    let storage = try await ServerStorage.sqlite(path: configuration.resolvedStore.sqlitePath!, logger: logger)
    do {
        let services = try await ServerServices(configuration: configuration, storage: storage, keys: keys, logger: logger)
        let result = try await body(try TesseraServer(services: services))
        await storage.close()
        return result
    } catch {
        await storage.close()
        throw error
    }
}

extension StoreLocation {
    var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }
}

extension TesseraServer {
    /// The server as a testable Hummingbird application.
    var testApplication: some ApplicationProtocol {
        Application(router: router())
    }
}
