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
        let mac: KeyedHMACSHA256
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
            let mac = KeyedHMACSHA256(key: subKey).absorbing(Array(Self.derivationContext.utf8))
            return KeyedState(id: entry.id, idBytes: Array(entry.id.utf8), mac: mac)
        }
    }

    /// Signs `value` for the cookie (or other slot) called `name`.
    /// - Throws: ``KeyError/noActiveKey`` when no key may sign at `now`.
    public func sign<Bytes: Collection>(_ value: Bytes, name: String, now: Date = Date()) throws(KeyError) -> String where Bytes.Element == UInt8 {
        let primary = try ring.primaryIndex(at: now)
        let state = keyedStates[primary]
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        var token: [UInt8] = []
        token.reserveCapacity(64 + value.count * 4 / 3)
        TokenFields.appendHeader(version: Self.versionTag, keyID: state.idBytes, issuedAt: issuedAt, to: &token)
        let valueStart = token.count
        Base64.appendURLSafe(value, to: &token)
        let tag = Self.mac(state, name: name, issuedAt: issuedAt, encodedValue: token[valueStart...])
        token.append(UInt8(ascii: "."))
        tag.withUnsafeBytes { Base64.appendURLSafe($0, to: &token) }
        return String(decoding: token, as: UTF8.self)
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
        guard bytes.count <= 8192, let fields = TokenFields.splitFive(bytes) else { return .malformed }
        guard fields.version.count == 2, bytes[0] == UInt8(ascii: "S"), bytes[1] == UInt8(ascii: "1") else { return .malformed }
        let idRange = fields.keyID
        guard let issuedAt = TokenFields.parseTime(bytes, fields.issuedAt),
              let tag = Base64.decode(UnsafeBufferPointer(rebasing: bytes[fields.fifth])), tag.count == 32 else { return .malformed }
        let encodedValue = UnsafeBufferPointer(rebasing: bytes[fields.fourth])
        guard let state = keyedStates.first(where: { $0.idBytes.elementsEqual(bytes[idRange]) }) else {
            return KeyRing.isValidKeyID(String(decoding: bytes[idRange], as: UTF8.self)) ? .unknownKey : .malformed
        }
        let expected = Self.mac(state, name: name, issuedAt: issuedAt, encodedValue: encodedValue)
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

    /// HMAC over `len(name) name len(kid) kid issued-at len(value) value`,
    /// after the format label that the keyed state has already absorbed.
    private static func mac<Value: Collection>(_ state: KeyedState, name: String, issuedAt: Int64, encodedValue: Value) -> SHA256.Digest
    where Value.Element == UInt8 {
        var header: [UInt8] = []
        header.reserveCapacity(20 + name.utf8.count + state.idBytes.count)
        TokenFields.appendLengthPrefixed(name.utf8, to: &header)
        TokenFields.appendLengthPrefixed(state.idBytes, to: &header)
        TokenFields.appendUInt64(UInt64(bitPattern: issuedAt), to: &header)
        TokenFields.appendUInt32(UInt32(truncatingIfNeeded: encodedValue.count), to: &header)
        return header.withUnsafeBytes { headerBytes in
            encodedValue.withContiguousStorageIfAvailable { state.mac.authenticationCode(headerBytes, UnsafeRawBufferPointer($0)) }
                ?? Array(encodedValue).withUnsafeBytes { state.mac.authenticationCode(headerBytes, $0) }
        }
    }
}
