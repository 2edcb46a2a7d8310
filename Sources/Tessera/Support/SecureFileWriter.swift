import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files that hold secrets: created with mode 0600 from the start
/// (never world-readable, not even for an instant) and replaced atomically by
/// a rename, so a reader sees the old file or the new one, never half of one.
public enum SecureFileWriter {
    /// Why a write failed. Names the path, never the contents.
    public struct Failure: Error, CustomStringConvertible {
        /// The file that could not be written.
        public let path: String
        /// What failed: create, write, sync or replace.
        public let operation: String
        /// The system error number.
        public let errno: Int32
        public var description: String {
            "cannot \(operation) \(path): \(String(cString: strerror(errno)))"
        }
    }

    /// Writes `data` to `path` with mode 0600.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(Hex.encode(SecureRandom.bytes(4)))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(path: temporary, operation: "create", errno: errno) }
        var failure: Failure?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(path: temporary, operation: "write", errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Failure(path: temporary, operation: "sync", errno: errno) }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let error = Failure(path: path, operation: "replace", errno: errno)
            unlink(temporary)
            throw error
        }
    }
}
