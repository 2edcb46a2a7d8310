import Crypto

/// What a store files a session under: the SHA-256 of its ``SessionID``.
///
/// Knowing a lookup key does not let anyone present the session, because
/// the cookie must carry the preimage. The 32 bytes are held inline as four
/// words so that hashing and comparing one costs no allocation.
public struct SessionLookupKey: Sendable, Hashable, CustomStringConvertible {
    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The number of bytes in a key.
    public static let byteCount = 32

    init(digest: SHA256.Digest) {
        self.init(validBytes: Array(digest))
    }

    /// Rebuilds a key a store read back; `nil` unless there are exactly 32 bytes.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(validBytes: Array(bytes))
    }

    private init(validBytes bytes: [UInt8]) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        bytes.withUnsafeBytes { raw in
            words = (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
        (w0, w1, w2, w3) = words
    }

    /// The first eight bytes as a word: uniformly distributed, so the memory
    /// store files records under it.
    var leadingWord: UInt64 { w0 }

    /// The 32 bytes, in digest order, for a database column.
    public var bytes: [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(Self.byteCount)
        for word in [w0, w1, w2, w3] {
            withUnsafeBytes(of: word) { output.append(contentsOf: $0) }
        }
        return output
    }

    /// The first 8 hex digits: enough to correlate log lines of one session,
    /// useless for presenting it (ASVS 16.2.5).
    public var logTag: String { Hex.encode(bytes.prefix(4)) }

    /// The ``logTag``: a lookup key prints as a short one-way tag.
    public var description: String { "session:\(logTag)" }
}
