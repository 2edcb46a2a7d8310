import ArgumentParser
import Configuration
import Foundation
import SystemPackage
import TesseraServer

/// The settings `tessera serve` and the admin commands share, as flags;
/// each also comes from `TESSERA_…` environment variables and the JSON
/// file named by `--config` (or `TESSERA_CONFIG`). Flags win, then the
/// environment, then the file.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "A JSON config file with any of the settings below, by the same names.")
    var config: String?

    @Option(name: .long, help: "Where the SQLite store and the keys live (default ./tessera-data). Env: TESSERA_DATA_DIR.")
    var dataDir: String?

    @Option(name: .long, help: "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default sqlite:DATA-DIR/tessera.db). Env: TESSERA_STORE.")
    var store: String?

    @Option(name: .long, help: "Password hashing cost 2^N (default 17; lower only for tests). Env: TESSERA_SCRYPT_LOG_N.")
    var scryptLogN: Int?

    /// Values given as flags, under their setting names.
    var flagValues: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let dataDir { values["data-dir"] = ConfigValue(.string(dataDir), isSecret: false) }
        if let store { values["store"] = ConfigValue(.string(store), isSecret: true) }
        if let scryptLogN { values["scrypt-log-n"] = ConfigValue(.int(scryptLogN), isSecret: false) }
        return values
    }

    /// The configuration: `extra` flags, then these flags, then the
    /// environment, then the config file.
    func configuration(extra: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> ServerConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flagValues.merging(extra) { _, new in new }),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["TESSERA_STORE"])).prefixKeys(with: "tessera"),
        ]
        if let path = config ?? environment["TESSERA_CONFIG"] {
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("the config file \(path) does not exist") }
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
            } catch {
                throw ValidationError("the config file \(path) is not a JSON object of settings: \(error)")
            }
        }
        do {
            return try ServerConfiguration(reading: ConfigReader(providers: providers))
        } catch {
            throw ValidationError(error.description)
        }
    }
}
