import Foundation

/// Measures an operation against its baseline in alternating rounds.
enum Benchmark {
    /// An operation and the raw primitive it is compared with.
    struct Pair {
        let name: String
        let baselineName: String
        let operation: () -> Int
        let baseline: () -> Int
    }

    struct Result {
        let name: String
        let baselineName: String
        let opsPerSecond: Double
        let baselineOpsPerSecond: Double
        let ratio: Double

        var line: String {
            #"{"name":"\#(name)","ops_per_sec":\#(Int(opsPerSecond.rounded())),"baseline":"\#(baselineName)","ratio":\#(String(format: "%.3f", ratio))}"#
        }

        var baselineLine: String {
            #"{"name":"\#(baselineName)","ops_per_sec":\#(Int(baselineOpsPerSecond.rounded())),"baseline":null,"ratio":1.000}"#
        }
    }

    /// Keeps results alive so the optimiser cannot drop the measured work.
    nonisolated(unsafe) static var sink = 0

    /// Operations per second of `body`, run for about `seconds`.
    static func throughput(_ body: () -> Int, seconds: Double) -> Double {
        let clock = ContinuousClock()
        for _ in 0..<200 { sink &+= body() }  // warm caches and lazy state
        var iterations = 0
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while clock.now < deadline {
            for _ in 0..<64 { sink &+= body() }
            iterations += 64
        }
        let elapsed = clock.now - start
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(iterations) / elapsedSeconds
    }

    static func compare(_ pair: Pair, seconds: Double, rounds: Int) -> Result {
        var ours: [Double] = [], raw: [Double] = [], ratios: [Double] = []
        for _ in 0..<rounds {
            let baseline = throughput(pair.baseline, seconds: seconds)
            let measured = throughput(pair.operation, seconds: seconds)
            raw.append(baseline)
            ours.append(measured)
            ratios.append(measured / baseline)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Result(name: pair.name, baselineName: pair.baselineName, opsPerSecond: median(ours),
                      baselineOpsPerSecond: median(raw), ratio: median(ratios))
    }
}
