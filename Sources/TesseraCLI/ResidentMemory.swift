import Foundation

/// The process's resident set size, as the kernel reports it.
enum ResidentMemory {
    /// `VmRSS` of `/proc/self/status` in bytes, or `nil` where there is no
    /// such file (not Linux) or it has no such line.
    static func currentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            // "VmRSS:     123456 kB"
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
