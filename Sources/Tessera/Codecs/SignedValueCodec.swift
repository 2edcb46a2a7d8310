import Crypto
import Foundation

/// Tessera's signed values: readable by the client, impossible to forge.
///
/// A token is five dot-separated fields, all cookie-safe:
///
/// ```
/// S1.<key id>.<issued at, Unix seconds>.<base64url(value)>.<base64url(HMAC-SHA256)>
/// ```
///
/// The MAC is keyed with an HKDF sub-key of the ring key for this codec's
/// purpose, and covers the cookie name, the key id, the issue time and the
/// encoded value, each length-prefixed: unlike Tornado's v1 cookies, no field
/// can lend bytes to its neighbour, and a value signed for one cookie name or
/// purpose never verifies under another. Every field has exactly one spelling
/// (canonical base64url, decimal time without leading zeros).
///
/// The keyed HMAC state of every ring key is computed once, when the codec is
/// made, so a verification costs two SHA-256 passes over the message and no
/// key schedule.
public struct SignedValueCodec: Sendable {
    /// The first field of every token this codec makes.
    public static let versionTag = "S1"
    static let derivationContext = "tessera/signed-value/v1"

    /// What the values are for; part of the key derivation.
    public let purpose: KeyPurpose
    /// How far in the future an issue time may lie (clock skew between servers).
    public var maximumSkew: TimeInterval

    private let ring: KeyRing
    private let keyedStates: [KeyedState]

    private struct KeyedState: Sendable {
        let id: String
        let idBytes: [UInt8]
        let mac: HMAC<SHA256>
    }

    /// Creates a codec for one purpose.
    ///
    /// - Parameters:
    ///   - ring: the keys; the primary signs, every key verifies.
    ///   - purpose: what the values are for, such as `KeyPurpose("user")`.
    ///   - maximumSkew: tolerated future issue time, 60 s by default.
    public init(ring: KeyRing, purpose: KeyPurpose, maximumSkew: TimeInterval = 60) {
        self.ring = ring
        self.purpose = purpose
        self.maximumSkew = maximumSkew
        self.keyedStates = ring.entries.map { entry in
            let subKey = KeyDerivation.subKey(of: entry.secret, context: Self.derivationContext, purpose: purpose)
            var mac = HMAC<SHA256>(key: subKey)
            mac.update(data: Array(Self.derivationContext.utf8))
            return KeyedState(id: entry.id, idBytes: Array(entry.id.utf8), mac: mac)
        }
    }

    /// Signs `value` for the cookie (or other slot) called `name`.
    /// - Throws: ``KeyError/noActiveKey`` when no key may sign at `now`.
    public func sign<Bytes: Collection>(_ value: Bytes, name: String, now: Date = Date()) throws(KeyError) -> String where Bytes.Element == UInt8 {
        let primary = try ring.primary(at: now)
        // The ring and the states were built together, so the id is present.
        let state = keyedStates.first { $0.id == primary.id }!
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let encodedValue = Base64.encode(value, alphabet: Base64.urlSafeAlphabet, pad: false)
        var mac = state.mac
        var header: [UInt8] = []
        Self.appendHeader(name: name, keyID: state.idBytes, issuedAt: issuedAt, valueLength: encodedValue.count, to: &header)
        mac.update(data: header)
        mac.update(data: encodedValue)
        let tag = mac.finalize()
        var token = Self.versionTag + "." + primary.id + "." + String(issuedAt) + "."
        token += String(decoding: encodedValue, as: UTF8.self)
        token += "."
        token += tag.withUnsafeBytes { Base64.urlSafeEncode($0) }
        return token
    }

    /// Signs UTF-8 text.
    public func sign(_ value: String, name: String, now: Date = Date()) throws(KeyError) -> String {
        try sign(Array(value.utf8), name: name, now: now)
    }

    /// Verifies a token made for `name`.
    ///
    /// Checks run in a fixed order: format, key id, MAC (constant time),
    /// then the issue time; a token's age is only reported once it is known
    /// to be authentic.
    ///
    /// - Parameter maxAge: the oldest token accepted, in seconds; `nil` for no limit.
    public func verify(_ token: String, name: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<[UInt8]> {
        var token = token
        return token.withUTF8 { bytes in
            verify(bytes, name: name, maxAge: maxAge, now: now)
        }
    }

    /// Verifies a token and decodes its value as UTF-8 text.
    public func verifyString(_ token: String, name: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<String> {
        verify(token, name: name, maxAge: maxAge, now: now).flatMap { String(validating: $0, as: UTF8.self) }
    }

    private func verify(_ bytes: UnsafeBufferPointer<UInt8>, name: String, maxAge: TimeInterval?, now: Date) -> Verdict<[UInt8]> {
        guard bytes.count <= 8192, let fields = TokenFields.split(bytes, count: 5) else { return .malformed }
        guard fields[0].count == 2, bytes[0] == UInt8(ascii: "S"), bytes[1] == UInt8(ascii: "1") else { return .malformed }
        let idRange = fields[1]
        guard let issuedAt = TokenFields.parseTime(bytes, fields[2]),
              let tag = Base64.decode(UnsafeBufferPointer(rebasing: bytes[fields[4]])), tag.count == 32 else { return .malformed }
        let encodedValue = UnsafeBufferPointer(rebasing: bytes[fields[3]])
        guard let state = keyedStates.first(where: { $0.idBytes.elementsEqual(bytes[idRange]) }) else {
            return KeyRing.isValidKeyID(String(decoding: bytes[idRange], as: UTF8.self)) ? .unknownKey : .malformed
        }
        var mac = state.mac
        var header: [UInt8] = []
        Self.appendHeader(name: name, keyID: state.idBytes, issuedAt: issuedAt, valueLength: encodedValue.count, to: &header)
        mac.update(data: header)
        mac.update(data: UnsafeRawBufferPointer(encodedValue))
        let expected = mac.finalize()
        let authentic = expected.withUnsafeBytes { constantTimeEquals($0, tag) }
        guard authentic else { return .badSignature }
        let issued = Date(timeIntervalSince1970: TimeInterval(issuedAt))
        if let failure: Verdict<[UInt8]> = TokenAge.check(issuedAt: issued, now: now, maxAge: maxAge, maximumSkew: maximumSkew) {
            return failure
        }
        // The MAC covered these exact characters; a non-canonical spelling
        // could only come from our own signer, which never writes one.
        guard let value = Base64.decode(encodedValue) else { return .malformed }
        return .valid(Verified(value: value, issuedAt: issued, keyID: state.id))
    }

    private static func appendHeader(name: String, keyID: [UInt8], issuedAt: Int64, valueLength: Int, to output: inout [UInt8]) {
        output.reserveCapacity(24 + name.utf8.count + keyID.count)
        TokenFields.appendLengthPrefixed(name.utf8, to: &output)
        TokenFields.appendLengthPrefixed(keyID, to: &output)
        TokenFields.appendUInt64(UInt64(bitPattern: issuedAt), to: &output)
        TokenFields.appendUInt32(UInt32(truncatingIfNeeded: valueLength), to: &output)
    }
}
