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
    public let signer: DjangoSigner
    static let writer = JSONWriter(sortKeys: false, ensureASCII: true)

    public init?(key: [UInt8], fallbackKeys: [[UInt8]] = [], salt: String = "django.core.signing", algorithm: PythonDigest = .sha256) {
        guard let signer = DjangoSigner(key: key, fallbackKeys: fallbackKeys, salt: salt, algorithm: algorithm, timestamped: true) else { return nil }
        self.signer = signer
    }

    /// `signing.dumps(value, compress=compress)` at Unix time `timestamp`.
    public func dumps(_ value: JSONValue, compress: Bool = false, timestamp: Int64) -> String {
        let json = Self.writer.bytes(value)
        var payload = Base64.urlSafeEncode(json)
        if compress, let compressed = ZlibPayload.compressIfSmaller(json) {
            payload = "." + Base64.urlSafeEncode(compressed)
        }
        return signer.sign(payload, timestamp: timestamp)
    }

    /// `signing.loads(token, max_age=maxAge)`; compression is detected from the token.
    public func loads(_ token: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<JSONValue> {
        signer.unsignWithTimestamp(token, maxAge: maxAge, now: now).flatMap { payload in
            var body = Array(payload.utf8)[...]
            let compressed = body.first == UInt8(ascii: ".")
            if compressed { body = body.dropFirst() }
            guard var json = Base64.decode(body, .pythonURLSafeLenient) else { return nil }
            if compressed {
                guard let inflated = ZlibPayload.decompress(json) else { return nil }
                json = inflated
            }
            return try? JSONParser.parse(json)
        }
    }
}
