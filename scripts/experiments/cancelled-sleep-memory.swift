// How much memory cancelled `Task.sleep`s hold on this platform, and for how
// long: the reason Tessera's PostgreSQL storage keeps a fixed pool with
// postgres-nio's keep-alive off (docs/PERFORMANCE.md, "Memory").
//
//     swiftc -O scripts/experiments/cancelled-sleep-memory.swift -o /tmp/cancelled-sleep-memory
//     /tmp/cancelled-sleep-memory 100000 20     # COUNT sleeps of SECONDS, each cancelled once it sleeps
//
// On Linux (Swift 6.3) 100,000 sleeps of 20 s, each cancelled 20 µs after it
// started, took the resident size from 17 to 80 and to 89 MiB in two runs,
// and it stayed there after the deadlines.
import Foundation

func residentMiB() -> String {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let kib = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?.split(separator: " ").dropFirst().first
    return kib.flatMap { Double($0) }.map { String(format: "%.1f MiB", $0 / 1024) } ?? "?"
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[1]), let seconds = Int(arguments[2]) else {
    print("usage: \(arguments[0]) COUNT SECONDS")
    exit(2)
}
print("resident at start: \(residentMiB())")
for _ in 0..<count {
    let sleeper = Task { try? await Task.sleep(for: .seconds(seconds)) }
    // Let the sleep begin (a task cancelled before it sleeps never arms a timer).
    await withCheckedContinuation { done in
        DispatchQueue.global().asyncAfter(deadline: .now() + .microseconds(20)) { done.resume() }
    }
    sleeper.cancel()
    await sleeper.value
}
print("after \(count) cancelled \(seconds) s sleeps, all finished: \(residentMiB())")
try? await Task.sleep(for: .seconds(seconds + 1))
print("once their deadlines have passed: \(residentMiB())")
