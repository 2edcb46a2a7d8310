import Foundation

/// itsdangerous's `URLSafeTimedSerializer`: a JSON value, optionally
/// zlib-compressed, base64url-encoded and signed with a timestamp.
///
/// ```
/// [.]B64URL(json or zlib(json)) sep ts sep sig
/// ```
///
/// Its default salt is `"itsdangerous"` (not the signer's). Flask's session
/// cookie is this serializer with other settings: see ``FlaskSessionCookie``.
public struct ItsDangerousSerializer: Sendable {
    /// The timestamp signer underneath.
    public let signer: ItsDangerousSigner
    /// How JSON is written when signing.
    public let writer: JSONWriter

    /// A serializer with itsdangerous's defaults, or the given settings.
    public init?(secrets: [[UInt8]], salt: [UInt8] = Array("itsdangerous".utf8),
                 keyDerivation: ItsDangerousSigner.KeyDerivation = .djangoConcat, digest: PythonDigest = .sha1,
                 writer: JSONWriter = JSONWriter(sortKeys: false, ensureASCII: false)) {
        guard let signer = ItsDangerousSigner(secrets: secrets, salt: salt, keyDerivation: keyDerivation, digest: digest) else { return nil }
        self.signer = signer
        self.writer = writer
    }

    /// `dumps(value)` at Unix time `timestamp`, compressing when that saves
    /// more than one byte (as itsdangerous does).
    public func dumps(_ value: JSONValue, timestamp: Int64) -> String {
        dumps(json: writer.bytes(value), timestamp: timestamp)
    }

    /// Signs already-serialised JSON bytes.
    public func dumps(json: [UInt8], timestamp: Int64) -> String {
        let token = signer.signWithTimestamp(SignedJSONPayload.encode(json: json, compress: true), timestamp: timestamp)
        return String(decoding: token, as: UTF8.self)
    }

    /// `loads(token, max_age=maxAge)`.
    public func loads(_ token: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<JSONValue> {
        signer.unsignWithTimestamp(Array(token.utf8), maxAge: maxAge, now: now).flatMap { SignedJSONPayload.decode($0) }
    }
}
