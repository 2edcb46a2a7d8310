import Configuration
import Foundation
import Testing
@testable import TesseraServer

struct ServerConfigurationTests {
    @Test("Defaults: 127.0.0.1:8080, ./tessera-data, SQLite inside it, plain-HTTP cookies")
    func defaults() throws {
        let configuration = try ServerConfiguration(reading: ConfigReader(provider: InMemoryProvider(values: [:])))
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(configuration.resolvedStore == .sqlite(path: "tessera-data/tessera.db"))
        #expect(configuration.resolvedPublicURL.absoluteString == "http://127.0.0.1:8080")
        #expect(!configuration.isSecure)
        #expect(ServerServices.cookie(for: configuration).name == "tessera_session")
        #expect(configuration.refreshGraceSeconds == 30)
    }

    @Test("The refresh-token grace window comes from --refresh-grace-seconds / TESSERA_REFRESH_GRACE_SECONDS and reaches RefreshTokens")
    func refreshGraceWindow() async throws {
        let environment = EnvironmentVariablesProvider(environmentVariables: ["TESSERA_REFRESH_GRACE_SECONDS": "2"]).prefixKeys(with: "tessera")
        let configuration = try ServerConfiguration(reading: ConfigReader(providers: [environment]))
        #expect(configuration.refreshGraceSeconds == 2)
        let fromFile = try ServerConfiguration(reading: ConfigReader(provider: InMemoryProvider(values: ["refresh-grace-seconds": 0])))
        #expect(fromFile.refreshGraceSeconds == 0)
        try await withServer({ $0.refreshGraceSeconds = 7 }) { server in
            #expect(server.services.refreshTokens.configuration.reuseGrace == 7)
        }
    }

    @Test("One name everywhere: a flag beats TESSERA_… in the environment, which beats the config file")
    func precedence() throws {
        let flags = InMemoryProvider(values: ["port": 9001])
        let environment = EnvironmentVariablesProvider(environmentVariables: [
            "TESSERA_PORT": "9002", "TESSERA_DATA_DIR": "/srv/env-data", "TESSERA_CORS_ORIGINS": "https://a.example, https://b.example",
        ]).prefixKeys(with: "tessera")
        let file = InMemoryProvider(values: ["port": 9003, "data-dir": "/srv/file-data", "cookie-domain": ".Example.com",
                                             "public-url": "https://auth.example.com"])
        let configuration = try ServerConfiguration(reading: ConfigReader(providers: [flags, environment, file]))
        #expect(configuration.port == 9001)
        #expect(configuration.dataDirectory == "/srv/env-data")
        #expect(configuration.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.cookieDomain == "example.com")
        #expect(configuration.isSecure)
        #expect(ServerServices.cookie(for: configuration).name == "__Secure-tessera_session")
        #expect(ServerServices.cookie(for: configuration).domain == "example.com")
    }

    @Test("Bad settings fail at start-up with the setting's name and what it accepts")
    func badSettingsAreNamed() {
        let cases: [(AbsoluteConfigKey, ConfigValue, String)] = [
            ("host", "a b", "host"), ("host", "evil/path", "host"), ("port", "eighty", "port"), ("port", 70_000, "port"), ("public-url", "ftp://x", "public-url"),
            ("cookie-domain", "localhost", "cookie-domain"), ("cors-origins", "https://a.example/path", "cors-origins"),
            ("scrypt-log-n", 5, "scrypt-log-n"), ("store", "mysql://x", "store"),
            ("refresh-grace-seconds", -1, "refresh-grace-seconds"), ("refresh-grace-seconds", 301, "refresh-grace-seconds"),
            ("refresh-grace-seconds", "soon", "refresh-grace-seconds"),
        ]
        for (key, value, name) in cases {
            #expect {
                try ServerConfiguration(reading: ConfigReader(provider: InMemoryProvider(values: [key: value])))
            } throws: { error in
                (error as? ServerConfigurationError)?.description.contains(name) == true
            }
        }
    }

    @Test("A PostgreSQL store's password never reaches a log line")
    func storeDescriptionHidesThePassword() throws {
        let location = try StoreLocation(parsing: "postgres://tessera:s3cret-pw@db.internal:5432/auth")
        #expect(location.description == "postgres://tessera:***@db.internal:5432/auth")
        #expect(!location.description.contains("s3cret"))
        #expect(try StoreLocation(parsing: "sqlite:/var/lib/tessera.db") == .sqlite(path: "/var/lib/tessera.db"))
    }
}
