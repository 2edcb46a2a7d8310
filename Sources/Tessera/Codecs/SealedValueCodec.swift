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

    public let purpose: KeyPurpose
    public let algorithm: Algorithm
    public let compression: Compression
    /// How far in the future an issue time may lie.
    public var maximumSkew: TimeInterval
    /// The largest plaintext opened (after inflating); guards against
    /// decompression bombs.
    public var maximumPlaintextBytes: Int

    private let ring: KeyRing
    private let keys: [(id: String, key: SymmetricKey)]
    private let purposeBytes: [UInt8]

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
        self.purposeBytes = Array(purpose.label.utf8)
        // One sub-key per ring key; the algorithm is bound through the
        // associated data, and both AEADs take a 256-bit key.
        self.keys = ring.entries.map { ($0.id, KeyDerivation.subKey(of: $0.secret, context: Self.derivationContext, purpose: purpose)) }
    }

    /// Seals `value` for the cookie called `name`.
    /// - Throws: ``SealError``.
    public func seal<Bytes: Collection>(_ value: Bytes, name: String, now: Date = Date()) throws(SealError) -> String where Bytes.Element == UInt8 {
        let primary: KeyRing.Entry
        do { primary = try ring.primary(at: now) } catch { throw .key(error) }
        let key = keys.first { $0.id == primary.id }!.key
        var plaintext = Array(value)
        guard plaintext.count <= maximumPlaintextBytes else { throw .tooLarge(byteCount: plaintext.count, limit: maximumPlaintextBytes) }
        var flags = algorithm.rawValue
        if compression == .whenSmaller, let deflated = Self.deflate(plaintext), deflated.count < plaintext.count {
            plaintext = deflated
            flags += "z"
        }
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let aad = associatedData(name: name, keyID: primary.id, issuedAt: issuedAt, flags: flags)
        let combined: [UInt8]
        do {
            switch algorithm {
            case .aes256GCM:
                let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: aad)
                combined = Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(), authenticating: aad)
                combined = Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
            }
        } catch {
            throw .encryptionFailed
        }
        return "\(Self.versionTag).\(primary.id).\(issuedAt).\(flags).\(Base64.urlSafeEncode(combined))"
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
        guard bytes.count <= 4 * maximumPlaintextBytes + 256, let fields = TokenFields.split(bytes, count: 5) else { return .malformed }
        guard fields[0].count == 2, bytes[0] == UInt8(ascii: "E"), bytes[1] == UInt8(ascii: "1") else { return .malformed }
        let keyID = String(decoding: bytes[fields[1]], as: UTF8.self)
        let flags = String(decoding: bytes[fields[3]], as: UTF8.self)
        guard let issuedAt = TokenFields.parseTime(bytes, fields[2]),
              let sealedAlgorithm = flags.first.flatMap({ Algorithm(rawValue: String($0)) }),
              flags.count == 1 || flags.dropFirst() == "z",
              let combined = Base64.decode(UnsafeBufferPointer(rebasing: bytes[fields[4]])),
              combined.count >= Self.nonceByteCount + Self.tagByteCount else { return .malformed }
        guard let key = keys.first(where: { $0.id == keyID })?.key else {
            return KeyRing.isValidKeyID(keyID) ? .unknownKey : .malformed
        }
        let aad = associatedData(name: name, keyID: keyID, issuedAt: issuedAt, flags: flags)
        let nonce = combined[0..<Self.nonceByteCount]
        let ciphertext = combined[Self.nonceByteCount..<(combined.count - Self.tagByteCount)]
        let tag = combined[(combined.count - Self.tagByteCount)...]
        var plaintext: [UInt8]
        do {
            switch sealedAlgorithm {
            case .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plaintext = Array(try AES.GCM.open(box, using: key, authenticating: aad))
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plaintext = Array(try ChaChaPoly.open(box, using: key, authenticating: aad))
            }
        } catch {
            return .badSignature
        }
        let issued = Date(timeIntervalSince1970: TimeInterval(issuedAt))
        if let failure: Verdict<[UInt8]> = TokenAge.check(issuedAt: issued, now: now, maxAge: maxAge, maximumSkew: maximumSkew) {
            return failure
        }
        if flags.hasSuffix("z") {
            guard let inflated = Self.inflate(plaintext, limit: maximumPlaintextBytes) else { return .malformed }
            plaintext = inflated
        }
        return .valid(Verified(value: plaintext, issuedAt: issued, keyID: keyID))
    }

    private func associatedData(name: String, keyID: String, issuedAt: Int64, flags: String) -> [UInt8] {
        var aad = Array(Self.derivationContext.utf8)
        TokenFields.appendLengthPrefixed(purposeBytes, to: &aad)
        TokenFields.appendLengthPrefixed(name.utf8, to: &aad)
        TokenFields.appendLengthPrefixed(keyID.utf8, to: &aad)
        TokenFields.appendUInt64(UInt64(bitPattern: issuedAt), to: &aad)
        TokenFields.appendLengthPrefixed(flags.utf8, to: &aad)
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
