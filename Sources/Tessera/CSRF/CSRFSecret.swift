/// One session's CSRF secret: 32 random bytes (256 bits) kept in the
/// session, never sent to the browser as such.
///
/// Pages get masked tokens from ``maskedToken(random:)``; each is different
/// but all verify with ``matches(_:)``. The secret has no `==` and its
/// `description` never shows the bytes.
///
/// It lives in the session (see ``CSRFTokens``), not in a cookie of its
/// own: the synchronizer token pattern needs no CSRF cookie (CS-C2), so
/// there is no `__Host-csrf` cookie to configure, and an attacker who can
/// plant cookies on a sibling subdomain can't plant a matching pair.
public struct CSRFSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// 32 bytes.
    public static let byteCount = 32

    let bytes: [UInt8]

    /// A new secret from `random`.
    public init(random: RandomSource = .system) {
        bytes = random.bytes(Self.byteCount)
    }

    /// Wraps exactly ``byteCount`` bytes.
    init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Reads the session's stored form (unpadded base64url).
    init?(encoded: String) {
        guard encoded.utf8.count == 43, let bytes = Base64.decode(encoded, .canonicalURLSafe) else { return nil }
        self.init(bytes: bytes)
    }

    /// The form stored in the session: unpadded base64url.
    var encoded: String { Base64.urlSafeEncode(bytes) }

    /// A fresh masked token for a page: a new random mask each call, so no
    /// two responses repeat the same bytes (BREACH).
    public func maskedToken(random: RandomSource = .system) -> String {
        CSRFToken.mask(bytes, with: random.bytes(Self.byteCount))
    }

    /// Whether `token` is a masked form of this secret. Malformed input of
    /// any length is `false`; the comparison is constant-time.
    public func matches(_ token: String) -> Bool {
        guard let unmasked = CSRFToken.unmask(token) else { return false }
        return constantTimeEquals(unmasked, bytes)
    }

    /// `CSRFSecret(redacted)`.
    public var description: String { "CSRFSecret(redacted)" }
    /// `CSRFSecret(redacted)`.
    public var debugDescription: String { description }
    /// A mirror without the bytes, so `dump` can't print them.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
