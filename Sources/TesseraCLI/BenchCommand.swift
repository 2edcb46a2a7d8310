import ArgumentParser
import Crypto
import Foundation
import Tessera

/// `tessera bench`: in-process throughput of Tessera's codecs next to the raw
/// swift-crypto operations over the same bytes, measured in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure signed and sealed values against raw swift-crypto (build with -c release).",
        discussion: """
        Prints one JSON object per line: {"name", "ops_per_sec", "baseline", "ratio"}. Each pair (ours, raw) is \
        measured in alternating rounds on one thread; ratio is the median over rounds of ours/raw, so machine noise \
        affects both sides alike. Run it as: swift run -c release tessera bench
        """
    )

    @Option(name: .long, help: "Seconds per measurement round.")
    var seconds: Double = 0.3

    @Option(name: .long, help: "Rounds per pair (the median ratio is reported).")
    var rounds: Int = 5

    func validate() throws {
        guard seconds > 0, seconds <= 10 else { throw ValidationError("--seconds must be in (0, 10]") }
        guard rounds >= 1, rounds <= 50 else { throw ValidationError("--rounds must be 1 to 50") }
    }

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; figures are not representative (use `swift run -c release tessera bench`)")
        #endif
        let suite = BenchmarkSuite()
        for pair in suite.pairs() {
            let result = Benchmark.compare(pair, seconds: seconds, rounds: rounds)
            print(result.baselineLine)
            print(result.line)
        }
    }
}
