import CompressNIO
import NIOCore

/// zlib-format compression as Python's `zlib.compress` (level 6, window 15,
/// memLevel 8) and `zlib.decompress` use it, with a cap on the inflated size
/// so a small cookie cannot expand into gigabytes.
enum ZlibPayload {
    /// The largest payload inflated from a cookie.
    static let maximumInflatedBytes = 1 << 20

    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: bytes)
        guard var compressed = try? buffer.compress(with: .zlib()) else { return nil }
        return compressed.readBytes(length: compressed.readableBytes)
    }

    static func decompress(_ bytes: [UInt8], limit: Int = maximumInflatedBytes) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: bytes)
        guard var inflated = try? buffer.decompress(with: .zlib(), maxSize: limit) else { return nil }
        return inflated.readBytes(length: inflated.readableBytes)
    }

    /// The Python peers' rule: compress only when it saves more than one byte.
    static func compressIfSmaller(_ bytes: [UInt8]) -> [UInt8]? {
        guard let compressed = compress(bytes), compressed.count < bytes.count - 1 else { return nil }
        return compressed
    }
}
