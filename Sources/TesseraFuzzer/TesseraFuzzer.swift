// The fuzzing entry points of Tessera's parsers (Sources/TesseraFuzzTargets).
//
// Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -D TESSERA_LIBFUZZER`,
// this is a libFuzzer binary: its entry point hands over to libFuzzer's
// driver, which fuzzes the target named by TESSERA_FUZZ_TARGET. Built plainly (as `swift build` does), it replays
// inputs without the sanitizers, for reproducing a finding:
//
//     swift run tessera-fuzz TARGET FILE...          # run each file once
//     swift run tessera-fuzz TARGET --write-samples DIR
import Foundation
import Synchronization
import TesseraFuzzTargets
#if TESSERA_LIBFUZZER
import CLibFuzzerDriver
#endif

/// The chosen target and its fixtures, made once per process.
enum FuzzerSetup {
    static func prepare(_ name: String) -> (FuzzTarget, FuzzFixtures) {
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("tessera-fuzz: unknown target '\(name)'; the targets are: \(names)\n".utf8))
            exit(2)
        }
        let box = FixturesBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            let made = try? await FuzzFixtures.make()
            box.fixtures.withLock { $0 = made }
            done.signal()
        }
        done.wait()
        guard let fixtures = box.fixtures.withLock({ $0 }) else {
            FileHandle.standardError.write(Data("tessera-fuzz: could not build the fuzz fixtures\n".utf8))
            exit(1)
        }
        return (target, fixtures)
    }

    /// Writes the target's code-made samples into `directory` (libFuzzer's
    /// working corpus), one file each.
    static func writeSamples(of target: FuzzTarget, fixtures: FuzzFixtures, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (index, sample) in target.samples(with: fixtures).enumerated() {
            try Data(sample).write(to: URL(fileURLWithPath: directory).appendingPathComponent("sample-\(index)"))
        }
    }
}

/// Hands the fixtures from the set-up task to the waiting thread.
final class FixturesBox: Sendable {
    let fixtures = Mutex<FuzzFixtures?>(nil)
}

#if TESSERA_LIBFUZZER
nonisolated(unsafe) private var chosen: (FuzzTarget, FuzzFixtures)?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let (target, fixtures) = FuzzerSetup.prepare(environment["TESSERA_FUZZ_TARGET"] ?? "")
    if let directory = environment["TESSERA_FUZZ_WRITE_SAMPLES"] {
        do { try FuzzerSetup.writeSamples(of: target, fixtures: fixtures, into: directory) } catch {
            FileHandle.standardError.write(Data("tessera-fuzz: could not write samples to \(directory): \(error)\n".utf8))
            exit(1)
        }
    }
    chosen = (target, fixtures)
    return 0
}

/// The process entry point. SwiftPM links an executable's `main` to the
/// module's renamed entry point (`TesseraFuzzer_main`), so libFuzzer's own
/// `main` never runs: this one hands over to libFuzzer's driver.
@_cdecl("TesseraFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzerTestOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let (target, fixtures) = chosen else { return 0 }
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [], with: fixtures)
    return 0
}
#else
@main
enum FuzzReplay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, arguments.count >= 2 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            print("usage: tessera-fuzz TARGET FILE...   or   tessera-fuzz TARGET --write-samples DIR\ntargets: \(names)")
            exit(2)
        }
        let (target, fixtures) = FuzzerSetup.prepare(name)
        if arguments[1] == "--write-samples", arguments.count == 3 {
            try FuzzerSetup.writeSamples(of: target, fixtures: fixtures, into: arguments[2])
            return
        }
        for path in arguments.dropFirst() {
            let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            target.run(input, with: fixtures)
            print("\(path): ok (\(input.count) bytes)")
        }
    }
}
#endif
