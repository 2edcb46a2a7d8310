/// Where Tessera draws the random bytes of tokens (session IDs, handles, keys).
///
/// ``system`` reads the operating system's CSPRNG through
/// `SystemRandomNumberGenerator` and is the default everywhere; tests inject
/// a seeded source to make token values reproducible.
public struct RandomSource: Sendable {
    private let fill: @Sendable (Int) -> [UInt8]

    /// A source that returns `fill(count)` for a request of `count` bytes.
    /// `fill` must return exactly `count` bytes.
    public init(_ fill: @escaping @Sendable (Int) -> [UInt8]) {
        self.fill = fill
    }

    /// The operating system's CSPRNG.
    public static let system = RandomSource { SecureRandom.bytes($0) }

    /// `count` random bytes.
    public func bytes(_ count: Int) -> [UInt8] {
        let output = fill(count)
        precondition(output.count == count, "a RandomSource returned \(output.count) bytes instead of \(count)")
        return output
    }
}
