import Crypto

/// An API access key as the client holds it:
/// `tsk_` + identifier (12 base62) + `_` + secret (43 base62, 256 bits) + checksum (6 base62).
///
/// The checksum is the first 4 bytes of SHA-256 over everything before it,
/// so a secret scanner (or Tessera, before any store lookup) can tell a
/// real key from a typo or a random string offline. The regular expression
/// scanners can use is ``pattern``.
public struct APIKey: Sendable, CustomStringConvertible {
    /// The prefix every key starts with.
    public static let prefix = "tsk_"
    /// A regular expression matching a Tessera API key.
    public static let pattern = "tsk_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}"
    static let identifierLength = 12
    static let secretLength = 43
    static let checksumLength = 6
    /// The full length of a key.
    public static let length = prefix.count + identifierLength + 1 + secretLength + checksumLength

    /// The public identifier (safe to log and show).
    public let identifier: String
    /// SHA-256 of the secret part: what the store keeps.
    public let secretHash: [UInt8]
    /// The whole key, as given to the client once.
    public let text: String

    /// Parses a presented key; `nil` if its shape or checksum is wrong.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.length, text.hasPrefix(Self.prefix) else { return nil }
        let idStart = Self.prefix.utf8.count, idEnd = idStart + Self.identifierLength
        guard bytes[idEnd] == UInt8(ascii: "_") else { return nil }
        let secretStart = idEnd + 1, checksumStart = secretStart + Self.secretLength
        guard bytes[idStart..<idEnd].allSatisfy(Base62.isDigit), bytes[secretStart...].allSatisfy(Base62.isDigit) else { return nil }
        guard constantTimeEquals(Self.checksum(of: bytes[..<checksumStart]), bytes[checksumStart...]) else { return nil }
        self.identifier = String(decoding: bytes[idStart..<idEnd], as: UTF8.self)
        self.secretHash = Array(SHA256.hash(data: Array(bytes[secretStart..<checksumStart])))
        self.text = text
    }

    /// Makes a new key from `random`.
    static func generate(random: RandomSource) -> APIKey {
        let identifier = Base62.encode(random.bytes(8), width: identifierLength)
        let secret = Base62.encode(random.bytes(32), width: secretLength)
        let body = Array((prefix + identifier + "_" + secret).utf8)
        let text = String(decoding: body + checksum(of: body[...]), as: UTF8.self)
        // A key we just built always parses.
        return APIKey(text)!
    }

    static func checksum(of body: ArraySlice<UInt8>) -> [UInt8] {
        Array(Base62.encode(Array(SHA256.hash(data: Array(body)).prefix(4)), width: checksumLength).utf8)
    }

    /// Only the identifier: the secret never reaches a log.
    public var description: String { "APIKey(\(Self.prefix)\(identifier)_…)" }
}
