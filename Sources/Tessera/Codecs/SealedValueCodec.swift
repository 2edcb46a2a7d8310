import CompressNIO
import Crypto
import Foundation
import NIOCore

/// Tessera's sealed values: encrypted and authenticated, so the client can
/// neither read nor change them.
///
/// ```
/// E1.<key id>.<issued at>.<flags>.<base64url(nonce ‖ ciphertext ‖ tag)>
/// ```
///
/// `flags` is `g` (AES-256-GCM, the default) or `c` (ChaCha20-Poly1305),
/// followed by `z` when the plaintext was deflated first. The key id, issue
/// time, flags, purpose and cookie name are the AEAD's associated data, so
/// none of them can be changed or the value moved to another cookie. Each seal
/// draws a fresh 96-bit random nonce; stay below 2³² seals per key (NIST
/// SP 800-38D's bound for random nonces) by rotating keys.
public struct SealedValueCodec: Sendable {
    /// The AEAD used to seal.
    public enum Algorithm: String, Sendable, CaseIterable {
        case aes256GCM = "g"
        case chaCha20Poly1305 = "c"

        init?(flag: UInt8) {
            switch flag {
            case UInt8(ascii: "g"): self = .aes256GCM
            case UInt8(ascii: "c"): self = .chaCha20Poly1305
            default: return nil
            }
        }
    }

    /// When to deflate the plaintext before sealing.
    public enum Compression: Sendable {
        /// Never: the ciphertext length reveals the plaintext length exactly.
        case never
        /// When it saves bytes. Beware: compressing secrets together with
        /// attacker-chosen data can leak them through the length (CRIME).
        case whenSmaller
    }

    /// The first field of every token this codec makes.
    public static let versionTag = "E1"
    static let derivationContext = "tessera/sealed-value/v1"
    static let nonceByteCount = 12
    static let tagByteCount = 16

    /// What the values are for; part of the key derivation and the associated data.
    public let purpose: KeyPurpose
    /// The AEAD new tokens use (either one opens).
    public let algorithm: Algorithm
    /// Whether new tokens deflate their plaintext.
    public let compression: Compression
    /// How far in the future an issue time may lie.
    public var maximumSkew: TimeInterval
    /// The largest plaintext opened (after inflating); guards against
    /// decompression bombs.
    public var maximumPlaintextBytes: Int

    private let ring: KeyRing
    private let keys: [SealingKey]
    /// The constant start of every associated-data block: label and purpose.
    private let associatedDataPrefix: [UInt8]

    private struct SealingKey: Sendable {
        let id: String
        let idBytes: [UInt8]
        let key: SymmetricKey
    }

    /// Creates a codec for one purpose.
    public init(
        ring: KeyRing,
        purpose: KeyPurpose,
        algorithm: Algorithm = .aes256GCM,
        compression: Compression = .never,
        maximumSkew: TimeInterval = 60,
        maximumPlaintextBytes: Int = 64 * 1024
    ) {
        self.ring = ring
        self.purpose = purpose
        self.algorithm = algorithm
        self.compression = compression
        self.maximumSkew = maximumSkew
        self.maximumPlaintextBytes = maximumPlaintextBytes
        var prefix = Array(Self.derivationContext.utf8)
        TokenFields.appendLengthPrefixed(purpose.label.utf8, to: &prefix)
        self.associatedDataPrefix = prefix
        // One sub-key per ring key; the algorithm is bound through the
        // associated data, and both AEADs take a 256-bit key.
        self.keys = ring.entries.map {
            SealingKey(id: $0.id, idBytes: Array($0.id.utf8), key: KeyDerivation.subKey(of: $0.secret, context: Self.derivationContext, purpose: purpose))
        }
    }

    /// Seals `value` for the cookie called `name`.
    /// - Throws: ``SealError``.
    public func seal<Bytes: Collection>(_ value: Bytes, name: String, now: Date = Date()) throws(SealError) -> String where Bytes.Element == UInt8 {
        let sealingKey: SealingKey
        do { sealingKey = keys[try ring.primaryIndex(at: now)] } catch { throw .key(error) }
        guard value.count <= maximumPlaintextBytes else { throw .tooLarge(byteCount: value.count, limit: maximumPlaintextBytes) }
        var flags = [algorithm.rawValue.utf8.first!]
        var deflated: [UInt8]?
        if compression == .whenSmaller, let smaller = Self.deflate(Array(value)), smaller.count < value.count {
            deflated = smaller
            flags.append(UInt8(ascii: "z"))
        }
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let aad = associatedData(name: name, keyID: sealingKey.idBytes, issuedAt: issuedAt, flags: flags)
        var token: [UInt8] = []
        token.reserveCapacity(80 + value.count * 4 / 3)
        TokenFields.appendHeader(version: Self.versionTag, keyID: sealingKey.idBytes, issuedAt: issuedAt, to: &token)
        token.append(contentsOf: flags)
        token.append(UInt8(ascii: "."))
        do {
            let combined: Data
            switch (algorithm, deflated) {
            case (.aes256GCM, let deflated?): combined = try AES.GCM.seal(deflated, using: sealingKey.key, nonce: AES.GCM.Nonce(), authenticating: aad).combined!
            case (.aes256GCM, nil): combined = try AES.GCM.seal(Array(value), using: sealingKey.key, nonce: AES.GCM.Nonce(), authenticating: aad).combined!
            case (.chaCha20Poly1305, let deflated?): combined = try ChaChaPoly.seal(deflated, using: sealingKey.key, nonce: ChaChaPoly.Nonce(), authenticating: aad).combined
            case (.chaCha20Poly1305, nil): combined = try ChaChaPoly.seal(Array(value), using: sealingKey.key, nonce: ChaChaPoly.Nonce(), authenticating: aad).combined
            }
            Base64.appendURLSafe(combined, to: &token)
        } catch {
            throw .encryptionFailed
        }
        return String(decoding: token, as: UTF8.self)
    }

    /// Seals UTF-8 text.
    public func seal(_ value: String, name: String, now: Date = Date()) throws(SealError) -> String {
        try seal(Array(value.utf8), name: name, now: now)
    }

    /// Opens a token sealed for `name`.
    /// - Parameter maxAge: the oldest token accepted, in seconds; `nil` for no limit.
    public func open(_ token: String, name: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<[UInt8]> {
        var token = token
        return token.withUTF8 { open($0, name: name, maxAge: maxAge, now: now) }
    }

    /// Opens a token and decodes its value as UTF-8 text.
    public func openString(_ token: String, name: String, maxAge: TimeInterval?, now: Date = Date()) -> Verdict<String> {
        open(token, name: name, maxAge: maxAge, now: now).flatMap { String(validating: $0, as: UTF8.self) }
    }

    private func open(_ bytes: UnsafeBufferPointer<UInt8>, name: String, maxAge: TimeInterval?, now: Date) -> Verdict<[UInt8]> {
        guard bytes.count <= 4 * maximumPlaintextBytes + 256, let fields = TokenFields.splitFive(bytes) else { return .malformed }
        guard fields.version.count == 2, bytes[0] == UInt8(ascii: "E"), bytes[1] == UInt8(ascii: "1") else { return .malformed }
        let flags = bytes[fields.fourth]
        guard let issuedAt = TokenFields.parseTime(bytes, fields.issuedAt),
              let first = flags.first, let sealedAlgorithm = Algorithm(flag: first),
              flags.count == 1 || (flags.count == 2 && flags.last == UInt8(ascii: "z")),
              let combined = Base64.decode(UnsafeBufferPointer(rebasing: bytes[fields.fifth])),
              combined.count >= Self.nonceByteCount + Self.tagByteCount else { return .malformed }
        let idBytes = bytes[fields.keyID]
        guard let sealingKey = keys.first(where: { $0.idBytes.elementsEqual(idBytes) }) else {
            return KeyRing.isValidKeyID(String(decoding: idBytes, as: UTF8.self)) ? .unknownKey : .malformed
        }
        let aad = associatedData(name: name, keyID: sealingKey.idBytes, issuedAt: issuedAt, flags: flags)
        var plaintext: [UInt8]
        do {
            switch sealedAlgorithm {
            case .aes256GCM:
                plaintext = Array(try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: sealingKey.key, authenticating: aad))
            case .chaCha20Poly1305:
                plaintext = Array(try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: combined), using: sealingKey.key, authenticating: aad))
            }
        } catch {
            return .badSignature
        }
        let issued = Date(timeIntervalSince1970: TimeInterval(issuedAt))
        if let failure: Verdict<[UInt8]> = TokenAge.check(issuedAt: issued, now: now, maxAge: maxAge, maximumSkew: maximumSkew) {
            return failure
        }
        if flags.count == 2 {
            guard let inflated = Self.inflate(plaintext, limit: maximumPlaintextBytes) else { return .malformed }
            plaintext = inflated
        }
        return .valid(Verified(value: plaintext, issuedAt: issued, keyID: sealingKey.id))
    }

    private func associatedData<Flags: Collection>(name: String, keyID: [UInt8], issuedAt: Int64, flags: Flags) -> [UInt8]
    where Flags.Element == UInt8 {
        var aad = associatedDataPrefix
        aad.reserveCapacity(aad.count + 24 + name.utf8.count + keyID.count)
        TokenFields.appendLengthPrefixed(name.utf8, to: &aad)
        TokenFields.appendLengthPrefixed(keyID, to: &aad)
        TokenFields.appendUInt64(UInt64(bitPattern: issuedAt), to: &aad)
        TokenFields.appendLengthPrefixed(flags, to: &aad)
        return aad
    }

    static func deflate(_ bytes: [UInt8]) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: bytes)
        guard var compressed = try? buffer.compress(with: .deflate()) else { return nil }
        return compressed.readBytes(length: compressed.readableBytes)
    }

    static func inflate(_ bytes: [UInt8], limit: Int) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: bytes)
        guard var inflated = try? buffer.decompress(with: .deflate(), maxSize: limit) else { return nil }
        return inflated.readBytes(length: inflated.readableBytes)
    }
}

/// Why a value could not be sealed. Never carries the value.
public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
    case key(KeyError)
    case tooLarge(byteCount: Int, limit: Int)
    case encryptionFailed

    public var description: String {
        switch self {
        case .key(let error): return error.description
        case .tooLarge(let count, let limit): return "value is \(count) bytes; the sealed-value limit is \(limit) bytes"
        case .encryptionFailed: return "encryption failed"
        }
    }
}
