import Crypto

/// HMAC-SHA256 with the key schedule done once.
///
/// RFC 2104 §4 notes that the hash states after absorbing `K ⊕ ipad` and
/// `K ⊕ opad` can be computed once per key and reused. swift-crypto's
/// `HMAC` redoes both on every call; keeping them here saves two SHA-256
/// blocks and the key handling per token, and feeding the states through
/// `HashFunction.update(bufferPointer:)` avoids generic `DataProtocol`
/// dispatch on the hot path. The result is checked against swift-crypto's
/// `HMAC<SHA256>` by the tests (RFC 4231 vectors and random inputs).
struct KeyedHMACSHA256: Sendable {
    private var inner: SHA256
    private var outer: SHA256

    init(key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        key.withUnsafeBytes { bytes in
            if bytes.count > SHA256.blockByteCount {
                let digest = SHA256.hash(data: bytes)
                digest.withUnsafeBytes { block.replaceSubrange(0..<$0.count, with: $0) }
            } else {
                block.replaceSubrange(0..<bytes.count, with: bytes)
            }
        }
        inner = SHA256()
        outer = SHA256()
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5C }
        innerPad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        outerPad.withUnsafeBytes { outer.update(bufferPointer: $0) }
    }

    /// A keyed state that has also absorbed a fixed message prefix, such as a
    /// format label that starts every MAC input.
    func absorbing(_ prefix: [UInt8]) -> KeyedHMACSHA256 {
        var copy = self
        prefix.withUnsafeBytes { copy.inner.update(bufferPointer: $0) }
        return copy
    }

    /// The MAC of the prefix (if any) followed by `first` and `second`.
    func authenticationCode(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> SHA256.Digest {
        var innerHash = inner
        innerHash.update(bufferPointer: first)
        innerHash.update(bufferPointer: second)
        let innerDigest = innerHash.finalize()
        var outerHash = outer
        innerDigest.withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize()
    }
}
