import Foundation
import NIOPosix
import Synchronization
import Tessera

/// The latency of a cheap authenticated request (an API key check) while
/// scrypt logins run at the same time, measured three ways in one run:
///
/// - `idle`: no logins;
/// - `pool`: logins through ``PasswordHasher``, whose key derivations run on
///   NIO's shared thread pool (one thread per core);
/// - `pool_one_thread`: the same with a dedicated one-thread pool, so
///   hashing can never take every core;
/// - `inline`: the same derivations run directly on Swift's cooperative
///   executor, which is what hashing "in the handler" does.
///
/// Requests are sent open-loop (on a fixed schedule, latency counted from
/// the scheduled time), so a blocked executor shows up as latency instead
/// of as fewer requests.
struct LoginLatencyBenchmark {
    let seconds: Double
    let requestsPerSecond: Int
    let concurrentLogins: Int

    enum Scenario: String, CaseIterable {
        case idle, pool, onePoolThread = "pool_one_thread", inline
    }

    struct Result {
        let scenario: Scenario
        let latencies: [Double]
        let logins: Int
        let seconds: Double

        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            return latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
        }
    }

    func run() async throws {
        let keys = APIKeys(store: MemoryAPIKeyStore())
        let key = try await keys.create(owner: "bench", name: "bench").key
        let hasher = PasswordHasher()
        let onePool = NIOThreadPool(numberOfThreads: 1)
        onePool.start()
        let oneThreadHasher = PasswordHasher(threadPool: onePool)
        let password = "correct horse battery staple"
        let stored = try await hasher.hash(password)
        let parsed = try PasswordHash(parsing: stored)
        guard case .scrypt(let parameters, let salt, _) = parsed else { throw CommandFailure("expected an scrypt hash") }

        var baseline: Result?
        for scenario in Scenario.allCases {
            let result = try await measure(scenario) {
                _ = try await keys.authenticate(key)
            } login: {
                switch scenario {
                case .idle: return
                case .pool: _ = try await hasher.verify(password, against: stored)
                case .onePoolThread: _ = try await oneThreadHasher.verify(password, against: stored)
                case .inline:
                    _ = try StandardPasswordKDF().scrypt(
                        password: Array(password.utf8), salt: salt, parameters: parameters, outputByteCount: PasswordHash.hashByteCount)
                }
            }
            if scenario == .idle { baseline = result }
            if scenario == .onePoolThread { try await onePool.shutdownGracefully() }
            // Unbuffered: each scenario's line shows as soon as it is measured.
            FileHandle.standardOutput.write(Data((line(result, baseline: baseline) + "\n").utf8))
        }
    }

    private func line(_ result: Result, baseline: Result?) -> String {
        func ms(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1000) }
        var fields = [
            "\"name\":\"login.cheap_request_latency.\(result.scenario.rawValue)\"",
            "\"requests\":\(result.latencies.count)",
            "\"p50_ms\":\(ms(result.percentile(0.5)))",
            "\"p99_ms\":\(ms(result.percentile(0.99)))",
            "\"max_ms\":\(ms(result.latencies.last ?? .nan))",
            "\"concurrent_logins\":\(result.scenario == .idle ? 0 : concurrentLogins)",
            "\"logins_per_sec\":\(String(format: "%.2f", Double(result.logins) / result.seconds))",
        ]
        if let baseline, result.scenario != .idle {
            fields.append("\"p99_ratio_vs_idle\":\(String(format: "%.2f", result.percentile(0.99) / baseline.percentile(0.99)))")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// What the tasks of one scenario share.
    private final class Tally: Sendable {
        let latencies = Mutex<[Double]>([])
        let logins = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    private func measure(
        _ scenario: Scenario, request: @escaping @Sendable () async throws -> Void, login: @escaping @Sendable () async throws -> Void
    ) async throws -> Result {
        let clock = ContinuousClock()
        let tally = Tally()
        let interval = Duration.nanoseconds(Int64(1e9 / Double(requestsPerSecond)))
        let count = Int(seconds * Double(requestsPerSecond))
        let start = clock.now.advanced(by: .milliseconds(200))
        try await withThrowingTaskGroup(of: Void.self) { group in
            if scenario != .idle {
                for _ in 0..<concurrentLogins {
                    group.addTask {
                        while !tally.stop.load(ordering: .relaxed) {
                            try await login()
                            tally.logins.add(1, ordering: .relaxed)
                            // Let the request driver in between two inline derivations.
                            await Task.yield()
                        }
                    }
                }
            }
            group.addTask {
                try await withThrowingTaskGroup(of: Void.self) { requests in
                    let cutoff = start.advanced(by: interval * count).advanced(by: .seconds(2))
                    for index in 0..<count {
                        let deadline = start.advanced(by: interval * index)
                        if clock.now > cutoff {
                            // The executor fell so far behind that the rest of the schedule
                            // can't be sent in time: each unsent request has waited at least this long.
                            let now = clock.now
                            tally.latencies.withLock { latencies in
                                for late in index..<count { latencies.append(Self.seconds(now - start.advanced(by: interval * late))) }
                            }
                            break
                        }
                        try await Task.sleep(until: deadline, clock: clock)
                        requests.addTask {
                            try await request()
                            let value = Self.seconds(clock.now - deadline)
                            tally.latencies.withLock { $0.append(value) }
                        }
                    }
                    try await requests.waitForAll()
                }
                tally.stop.store(true, ordering: .relaxed)
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        return Result(
            scenario: scenario, latencies: tally.latencies.withLock { $0.sorted() }, logins: tally.logins.load(ordering: .relaxed),
            seconds: Self.seconds(elapsed))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
