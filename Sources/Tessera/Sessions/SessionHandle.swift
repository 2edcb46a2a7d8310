/// A public name for one session, for pages that list a user's sessions.
///
/// A handle is 128 random bits drawn apart from the ``SessionID``, so
/// showing it (in a "your devices" page, a JSON API, a log line) reveals
/// nothing about the cookie. Revoking by handle is checked against the
/// owner, so a handle from another account does nothing.
public struct SessionHandle: Sendable, Hashable, CustomStringConvertible {
    private let high: UInt64, low: UInt64

    /// The number of random bytes in a handle.
    public static let byteCount = 16

    /// Draws a new handle from `random`.
    public init(random: RandomSource = .system) {
        self.init(validBytes: random.bytes(Self.byteCount))
    }

    /// Parses the 22-character base64url form; `nil` for anything else.
    public init?(_ text: String) {
        guard text.utf8.count == 22, let bytes = Base64.decode(text, .canonicalURLSafe), bytes.count == Self.byteCount else {
            return nil
        }
        self.init(validBytes: bytes)
    }

    /// Rebuilds a handle a store read back; `nil` unless there are exactly 16 bytes.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(validBytes: Array(bytes))
    }

    private init(validBytes bytes: [UInt8]) {
        var words: (UInt64, UInt64) = (0, 0)
        bytes.withUnsafeBytes { raw in
            words = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        (high, low) = words
    }

    /// The 16 bytes, for a database column.
    public var bytes: [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(Self.byteCount)
        withUnsafeBytes(of: high) { output.append(contentsOf: $0) }
        withUnsafeBytes(of: low) { output.append(contentsOf: $0) }
        return output
    }

    /// The 22-character base64url form.
    public var description: String { Base64.urlSafeEncode(bytes) }
}
