import Foundation

/// The built `tessera` executable, run in a fresh temporary directory as a
/// user would run it. `scripts/test.sh` builds it first; `TESSERA_BIN` may
/// point elsewhere.
struct TesseraProcess: Sendable {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["TESSERA_BIN"], !path.isEmpty { return path }
        return Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/tessera").path
    }()

    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `text` to `name` in the working directory and returns its path.
    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func run(_ arguments: String...) throws -> Run {
        try run(arguments: arguments)
    }

    func run(arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TESSERA_KEY_RING")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .newlines),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }
}
