import Crypto
import Foundation

/// A secret of at least 32 random bytes.
///
/// It has no `==` (compare MACs, not keys) and its `description` never shows
/// the bytes, so a key that ends up in a log line or an error message leaks
/// nothing (ASVS 13.3.1).
public struct SecretKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest secret Tessera accepts: 256 bits (ASVS 11.2.3, RFC 7518 §3.2).
    public static let minimumByteCount = 32

    /// The key material, for handing to swift-crypto.
    public let symmetricKey: SymmetricKey

    /// The number of bytes in the secret.
    public var byteCount: Int { symmetricKey.bitCount / 8 }

    /// Wraps existing secret bytes.
    /// - Throws: ``KeyError/tooShort(byteCount:)`` under 32 bytes.
    public init<Bytes: ContiguousBytes>(bytes: Bytes) throws(KeyError) {
        let count = bytes.withUnsafeBytes { $0.count }
        guard count >= Self.minimumByteCount else { throw .tooShort(byteCount: count) }
        symmetricKey = SymmetricKey(data: bytes)
    }

    /// Wraps a swift-crypto key.
    /// - Throws: ``KeyError/tooShort(byteCount:)`` under 32 bytes.
    public init(_ key: SymmetricKey) throws(KeyError) {
        guard key.bitCount / 8 >= Self.minimumByteCount else { throw .tooShort(byteCount: key.bitCount / 8) }
        symmetricKey = key
    }

    /// A new random 32-byte key from the system CSPRNG.
    public static func generate() -> SecretKey {
        // 32 bytes always satisfy the minimum.
        try! SecretKey(SymmetricKey(size: .bits256))
    }

    /// Calls `body` with the secret bytes. Keep them inside the closure.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try symmetricKey.withUnsafeBytes(body)
    }

    public var description: String { "SecretKey(\(byteCount) bytes, redacted)" }
    public var debugDescription: String { description }
}

/// Why a key or key ring was refused. Never carries secret material.
public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooShort(byteCount: Int)
    case invalidKeyID(String)
    case duplicateKeyID(String)
    case emptyRing
    case noActiveKey
    case invalidWindow(keyID: String)
    case unreadableRing(reason: String)
    case invalidSecretEncoding(keyID: String)

    public var description: String {
        switch self {
        case .tooShort(let count):
            return "secret key is \(count) bytes; at least \(SecretKey.minimumByteCount) random bytes are required (generate one with `tessera keygen`)"
        case .invalidKeyID(let id):
            // A long "id" may be a misplaced secret: describe it, don't repeat it.
            let shown = id.utf8.count <= KeyRing.maximumKeyIDLength ? "\"\(SafeText.printable(id))\"" : "of \(id.utf8.count) bytes"
            return "key id \(shown) is invalid: use 1 to \(KeyRing.maximumKeyIDLength) characters from A-Z a-z 0-9 - _"
        case .duplicateKeyID(let id):
            return "key id \"\(SafeText.printable(id))\" appears more than once in the key ring"
        case .emptyRing:
            return "the key ring has no keys"
        case .noActiveKey:
            return "no key in the ring may sign now: every key is outside its not-before/not-after window"
        case .invalidWindow(let id):
            return "key \"\(SafeText.printable(id))\" has a not-after date before its not-before date"
        case .unreadableRing(let reason):
            return "the key ring could not be read: \(reason)"
        case .invalidSecretEncoding(let id):
            return "the secret of key \"\(SafeText.printable(id))\" is not valid base64url"
        }
    }
}
