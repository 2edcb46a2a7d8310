import ArgumentParser
import Crypto
import Foundation
import Tessera

/// `tessera bench`: in-process throughput of Tessera's codecs next to the raw
/// swift-crypto operations over the same bytes, measured in one run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure codecs against raw swift-crypto and session stores against their raw databases (build with -c release).",
        discussion: """
        Prints one JSON object per line: {"name", "ops_per_sec", "baseline", "ratio"}. Each pair (ours, raw) is \
        measured on one thread in interleaved slices, so machine noise affects both sides alike; ratio is ours/raw \
        over the whole run. The login lines give the p50/p99 latency of a cheap authenticated request \
        (an API key check, 500 per second, open-loop) with no logins, with two scrypt logins running through \
        the thread pool, and with the same logins hashed inline on the async executor. \
        Run it as: swift run -c release tessera bench
        """
    )

    @Option(name: .long, help: "Seconds spent on each side of a pair.")
    var seconds: Double = 1.5

    @Option(name: .long, help: "Interleaved slices per pair.")
    var rounds: Int = 30

    @Option(name: .long, help: "Run only the pairs whose name contains this text.")
    var only: String?

    @Option(name: .long, help: "Skip the measurements whose name contains this text (repeatable; e.g. --skip login).")
    var skip: [String] = []

    func validate() throws {
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
        guard rounds >= 1, rounds <= 1000 else { throw ValidationError("--rounds must be 1 to 1000") }
    }

    func run() async throws {
        #if DEBUG
        printError("warning: this is a debug build; figures are not representative (use `swift run -c release tessera bench`)")
        #endif
        let only = only, skip = skip
        let wanted = { (name: String) in (only.map { name.contains($0) } ?? true) && !skip.contains { name.contains($0) } }
        let suite = BenchmarkSuite()
        for pair in suite.pairs() where wanted(pair.name) {
            let result = Benchmark.compare(pair, seconds: seconds, rounds: rounds)
            print(result.baselineLine)
            print(result.line)
        }
        try await SessionStoreBenchmark(seconds: seconds, rounds: rounds).run(wanted: wanted)
        let loginWanted = only.map { "login".contains($0) || $0.contains("login") } ?? true
        if loginWanted && !skip.contains(where: { "login.cheap_request_latency".contains($0) }) {
            try await LoginLatencyBenchmark(seconds: max(5, seconds * 3), requestsPerSecond: 500, concurrentLogins: 2).run()
        }
    }
}
