import Crypto
import Foundation

/// The hash functions Python peers name by their `hashlib` names.
///
/// SHA-1 is here only because itsdangerous, Flask and Tornado v1 use it by
/// default; Tessera's own formats never do (ASVS 11.4.1).
public enum PythonDigest: String, Sendable, CaseIterable {
    case sha1, sha256, sha384, sha512

    /// `hashlib.<name>(data).digest()`.
    public func hash<Bytes: DataProtocol>(_ data: Bytes) -> [UInt8] {
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: data))
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha384: return Array(SHA384.hash(data: data))
        case .sha512: return Array(SHA512.hash(data: data))
        }
    }

    /// `hmac.new(key, message, hashlib.<name>).digest()`.
    public func hmac<Key: ContiguousBytes, Message: DataProtocol>(key: Key, message: Message) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: symmetricKey))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: symmetricKey))
        case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: message, using: symmetricKey))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: symmetricKey))
        }
    }
}
