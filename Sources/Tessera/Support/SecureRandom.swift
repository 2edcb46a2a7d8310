/// Random bytes from the system CSPRNG.
public enum SecureRandom {
    /// Returns `count` bytes from `SystemRandomNumberGenerator`, which reads
    /// the operating system's CSPRNG (`getrandom` on Linux).
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return bytes(count, using: &generator)
    }

    /// Returns `count` bytes from the given generator; tests inject a seeded one.
    public static func bytes<Generator: RandomNumberGenerator>(_ count: Int, using generator: inout Generator) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(count + 8)
        while output.count < count {
            var word = generator.next()
            withUnsafeBytes(of: &word) { output.append(contentsOf: $0) }
        }
        output.removeLast(output.count - count)
        return output
    }
}
