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
            #"{"name":"\#(name)","ops_per_sec":\#(Int(opsPerSecond.rounded())),"baseline":"\#(baselineName)","baseline_ops_per_sec":\#(Int(baselineOpsPerSecond.rounded())),"ratio":\#(String(format: "%.3f", ratio))}"#
        }

        var baselineLine: String {
            #"{"name":"\#(baselineName)","ops_per_sec":\#(Int(baselineOpsPerSecond.rounded())),"baseline":null,"ratio":1.000}"#
        }
    }

    /// Keeps results alive so the optimiser cannot drop the measured work.
    nonisolated(unsafe) static var sink = 0

    /// Runs `body` for about `seconds`; returns (operations, elapsed seconds).
    static func measure(_ body: () -> Int, seconds: Double) -> (operations: Int, seconds: Double) {
        let clock = ContinuousClock()
        var iterations = 0
        var accumulator = 0
        let start = clock.now
        let deadline = start.advanced(by: .nanoseconds(Int64(seconds * 1e9)))
        while clock.now < deadline {
            for _ in 0..<32 { accumulator &+= body() }
            iterations += 32
        }
        let elapsed = clock.now - start
        sink &+= accumulator
        return (iterations, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Interleaves short slices of the baseline and the operation, so both
    /// see the same machine conditions, and compares total throughput.
    static func compare(_ pair: Pair, seconds: Double, rounds: Int) -> Result {
        for _ in 0..<500 { sink &+= pair.baseline() &+ pair.operation() }  // warm caches and lazy state
        var oursOperations = 0, oursSeconds = 0.0, rawOperations = 0, rawSeconds = 0.0
        let slice = seconds / Double(rounds)
        for _ in 0..<rounds {
            let raw = measure(pair.baseline, seconds: slice)
            let ours = measure(pair.operation, seconds: slice)
            rawOperations += raw.operations
            rawSeconds += raw.seconds
            oursOperations += ours.operations
            oursSeconds += ours.seconds
        }
        let oursRate = Double(oursOperations) / oursSeconds, rawRate = Double(rawOperations) / rawSeconds
        return Result(name: pair.name, baselineName: pair.baselineName, opsPerSecond: oursRate,
                      baselineOpsPerSecond: rawRate, ratio: oursRate / rawRate)
    }
}
