import Foundation

/// Locates the test fixtures in the source tree, so tests run from a fresh clone.
enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Support
        .deletingLastPathComponent()   // TesseraTests
        .appendingPathComponent("Fixtures")

    /// The package root (where README.md lives).
    static let repositoryRoot: URL = directory
        .deletingLastPathComponent()   // TesseraTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    /// The interop vector directory: `TESSERA_INTEROP_VECTORS` when set, else the copied public set.
    static var interopDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["TESSERA_INTEROP_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return directory.appendingPathComponent("interop")
    }
}
