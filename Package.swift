// swift-tools-version: 6.1
import PackageDescription

/// `scripts/fuzz.sh` builds with `TESSERA_FUZZ_INSTRUMENT=1`: libFuzzer's
/// coverage and AddressSanitizer then go into Tessera's own modules only,
/// not into swift-nio, AsyncHTTPClient and the rest. Instrumenting every
/// module gave 672,373 coverage counters, which libFuzzer scans and clears
/// after each input: that was 45% of a fuzzing run's time.
let fuzzInstrumented = Context.environment["TESSERA_FUZZ_INSTRUMENT"] == "1"
let fuzzedModuleSettings: [SwiftSetting] = fuzzInstrumented ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []
let fuzzerEntrySettings: [SwiftSetting] = fuzzInstrumented
    ? [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"]), .define("TESSERA_LIBFUZZER")] : []
let fuzzerLinkerSettings: [LinkerSetting] = fuzzInstrumented ? [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])] : []

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Tessera", targets: ["Tessera"]),
        .library(name: "TesseraSQLite", targets: ["TesseraSQLite"]),
        .library(name: "TesseraPostgres", targets: ["TesseraPostgres"]),
        .library(name: "TesseraHummingbird", targets: ["TesseraHummingbird"]),
        .library(name: "TesseraServer", targets: ["TesseraServer"]),
        .library(name: "TesseraClient", targets: ["TesseraClient"]),
        .executable(name: "tessera", targets: ["TesseraCLI"]),
        .executable(name: "tessera-fuzz", targets: ["TesseraFuzzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "Tessera",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: fuzzedModuleSettings
        ),
        .target(
            name: "TesseraSQLite",
            dependencies: [
                "Tessera",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TesseraPostgres",
            dependencies: [
                "Tessera",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TesseraHummingbird",
            dependencies: [
                "Tessera",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TesseraServer",
            dependencies: [
                "Tessera", "TesseraSQLite", "TesseraPostgres", "TesseraHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TesseraClient",
            dependencies: [
                "Tessera",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: fuzzedModuleSettings
        ),
        .target(name: "CTesseraMallocStats"),
        .executableTarget(
            name: "TesseraCLI",
            dependencies: [
                "Tessera", "TesseraSQLite", "TesseraPostgres", "TesseraHummingbird", "TesseraServer", "TesseraClient", "CTesseraMallocStats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The fuzz targets of every parser that reads outside input, and their
        // libFuzzer entry point (scripts/fuzz.sh; a plain build replays inputs).
        .target(
            name: "TesseraFuzzTargets",
            dependencies: [
                "Tessera", "TesseraClient",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: fuzzedModuleSettings
        ),
        .target(name: "CLibFuzzerDriver"),
        .executableTarget(
            name: "TesseraFuzzer",
            dependencies: ["TesseraFuzzTargets", "CLibFuzzerDriver"],
            swiftSettings: fuzzerEntrySettings,
            linkerSettings: fuzzerLinkerSettings
        ),
        .testTarget(
            name: "TesseraTests",
            dependencies: [
                "Tessera", "TesseraSQLite", "TesseraPostgres", "TesseraHummingbird", "TesseraServer", "TesseraClient",
                "TesseraFuzzTargets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
