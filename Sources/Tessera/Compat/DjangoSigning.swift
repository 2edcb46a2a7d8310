import Foundation

/// `django.core.signing.dumps` / `loads`: a JSON value, optionally
/// zlib-compressed, base64url-encoded and signed by a ``DjangoSigner`` with a
/// timestamp.
///
/// ```
/// [.]B64URL(json or zlib(json)) ":" base62(ts) ":" sig
/// ```
///
/// JSON is compact and ASCII-only, keys in insertion order. The default salt
/// is `"django.core.signing"`.
public struct DjangoSigning: Sendable {
    /// The timestamp signer underneath.
    public let signer: DjangoSigner
    static let writer = JSONWriter(sortKeys: false, ensureASCII: true)

    /// `dumps`/`loads` with a key, its fallbacks and a salt.
    public init?(key: [UInt8], fallbackKeys: [[UInt8]] = [], salt: String = "django.core.signing", algorithm: PythonDigest = .sha256) {
        guard let signer = DjangoSigner(key: key, fallbackKeys: fallbackKeys, salt: salt, algorithm: algorithm, timestamped: true) else { return nil }
        self.signer = signer
    }

    /// `signing.dumps(value, compress=compress)` at Unix time `timestamp`.
    public func dumps(_ value: JSONValue, compress: Bool = false, timestamp: Int64) -> String {
        let payload = SignedJSONPayload.encode(json: Self.writer.bytes(value), compress: compress)
        return signer.sign(String(decoding: payload, as: UTF8.self), timestamp: timestamp)
    }

    /// `signing.loads(token, max_age=maxAge)`; compression is detected from the token.
    public func loads(_ token: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<JSONValue> {
        signer.unsignWithTimestamp(token, maxAge: maxAge, now: now).flatMap { SignedJSONPayload.decode($0.utf8) }
    }
}
