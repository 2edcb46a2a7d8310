import Crypto

/// The secret that a session cookie carries: 256 bits from a CSPRNG,
/// written as 43 characters of unpadded base64url.
///
/// Only the holder of the cookie knows it. Stores keep its SHA-256
/// (``SessionLookupKey``), so a copy of the database holds no live token.
/// A `SessionID` is never printed: its description is redacted.
public struct SessionID: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The number of random bytes in an ID.
    public static let byteCount = 32
    /// The length of the cookie value: `ceil(32 * 8 / 6)` base64url characters.
    public static let cookieValueLength = 43

    /// The value to put in the session cookie.
    public let cookieValue: String

    /// Draws a new ID from `random`.
    public init(random: RandomSource = .system) {
        cookieValue = Base64.urlSafeEncode(random.bytes(Self.byteCount))
    }

    /// Accepts a cookie value only if it has the exact shape of an ID:
    /// 43 base64url characters in their canonical spelling. Anything else
    /// (an SQL fragment, a 10 KB string, a Django key) is `nil` before any
    /// store sees it.
    public init?(cookieValue: String) {
        guard cookieValue.utf8.count == Self.cookieValueLength,
              let bytes = Base64.decode(cookieValue, .canonicalURLSafe),
              bytes.count == Self.byteCount
        else { return nil }
        self.cookieValue = cookieValue
    }

    /// The key under which stores file this session: SHA-256 of the ID's bytes.
    public var lookupKey: SessionLookupKey {
        // The initialiser guarantees a canonical 32-byte encoding.
        let bytes = Base64.decode(cookieValue, .canonicalURLSafe) ?? []
        return SessionLookupKey(digest: SHA256.hash(data: bytes))
    }

    /// Redacted: a session ID never reaches a log line.
    public var description: String { "SessionID(redacted)" }
    /// Redacted: a session ID never reaches a log line.
    public var debugDescription: String { description }
    /// No children: `dump`, debuggers and test failure output can't show the ID.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
