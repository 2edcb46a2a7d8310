/// The cost parameters of scrypt (RFC 7914): `N = 2^logN`, block size `r`
/// and parallelism `p`.
///
/// ``recommended`` is OWASP's first scrypt setting (N=2^17, r=8, p=1,
/// CS-P2): about 128 MiB and a few hundred milliseconds per hash. Every
/// value, whether configured or read from a stored hash, must lie inside
/// the bounds below, so a hostile stored string cannot make Tessera
/// allocate gigabytes or spin for minutes.
public struct ScryptParameters: Sendable, Hashable, CustomStringConvertible {
    /// log2 of the CPU/memory cost `N` (the PHC `ln` field).
    public let logN: Int
    /// The block size `r`.
    public let blockSize: Int
    /// The parallelism `p` (run one after another here, so it multiplies time, not memory).
    public let parallelism: Int

    /// OWASP's recommended scrypt parameters: N=2^17 (`ln=17`), r=8, p=1.
    public static let recommended = ScryptParameters(uncheckedLogN: 17, blockSize: 8, parallelism: 1)

    /// Accepted `logN`: from 2^10 (only for tests and legacy hashes) to 2^21.
    public static let logNRange: ClosedRange<Int> = 10...21
    /// Accepted `r`. Above 16 with `p = 1`, swift-crypto's memory limit
    /// (it ignores its `maxMemory` argument and allows `128·N·r·p` plus one
    /// page) is smaller than what BoringSSL needs, and every derivation fails.
    public static let blockSizeRange: ClosedRange<Int> = 1...16
    /// Accepted `p`.
    public static let parallelismRange: ClosedRange<Int> = 1...16
    /// The most memory one derivation may need (`128·N·r`): 256 MiB, twice
    /// ``recommended``.
    public static let maximumMemoryByteCount = 256 * 1024 * 1024
    /// The most work one derivation may need (`N·r·p`): 2^24, sixteen
    /// times ``recommended``.
    public static let maximumWork = 1 << 24

    /// Checked parameters.
    /// - Throws: ``PasswordError/parametersOutOfRange`` when a value or the
    ///   memory or work it implies is outside the bounds above.
    public init(logN: Int, blockSize: Int, parallelism: Int) throws(PasswordError) {
        guard Self.logNRange.contains(logN), Self.blockSizeRange.contains(blockSize),
              Self.parallelismRange.contains(parallelism) else { throw .parametersOutOfRange }
        let candidate = ScryptParameters(uncheckedLogN: logN, blockSize: blockSize, parallelism: parallelism)
        guard candidate.memoryByteCount <= Self.maximumMemoryByteCount,
              candidate.work <= Self.maximumWork else { throw .parametersOutOfRange }
        self = candidate
    }

    /// Parameters without the bounds check, for known-answer tests with
    /// RFC 7914's toy cost (N=16). `logN` must still be small enough that
    /// `1 << logN` does not overflow.
    init(uncheckedLogN logN: Int, blockSize: Int, parallelism: Int) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// The CPU/memory cost `N = 2^logN`.
    public var costN: Int { 1 << logN }

    /// The memory one derivation needs: `128·N·r` bytes.
    public var memoryByteCount: Int { 128 * blockSize * costN }

    /// The work of one derivation relative to others: `N·r·p`.
    public var work: Int { costN * blockSize * parallelism }

    /// The PHC parameter list, e.g. `ln=17,r=8,p=1`.
    public var description: String { "ln=\(logN),r=\(blockSize),p=\(parallelism)" }
}
