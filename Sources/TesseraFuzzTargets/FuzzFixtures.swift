import Crypto
import Foundation
import Tessera

/// The fixed keys, codecs and clocks every fuzz target verifies against.
///
/// The secrets are public test values (the ones of the interop vectors), so
/// seeds made by the Python libraries verify and mutations start from deep
/// inside the decoders.
public struct FuzzFixtures: Sendable {
    /// The secret of the interop vectors (Tornado, itsdangerous, Django, PyJWT).
    static let interopSecret = "pub-primary-secret-2f6c0a9e51d84b7c93e1a0f4d2b8c6e7"
    /// The time the signed and sealed samples are made at and checked at.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    /// The time the JWT verifier reads: that of the PyJWT vectors.
    static let jwtNow = Date(timeIntervalSince1970: 1_721_000_010)

    let signed: SignedValueCodec
    /// A codec whose only (so primary) key is the older ring key, to re-sign
    /// what that key verified.
    let signedOldKey: SignedValueCodec
    let sealed: SealedValueCodec
    let tornado: TornadoSignedValue
    let flask: FlaskSessionCookie
    let djangoSession: DjangoSessionCookie
    let djangoCookie: DjangoSignedCookie
    let jwtVerifier: JWTVerifier
    let jwtSigner: JWTSigner
    let jwtSecret: SymmetricKey
    /// Sealed tokens made for this process: the only ones that may open.
    let sealedSamples: [String]

    /// Builds the fixtures (the JWT key is made asynchronously by jwt-kit).
    public static func make() async throws -> FuzzFixtures {
        let current = try KeyRing.Entry(id: "k2", secret: SecretKey(bytes: [UInt8](repeating: 0x42, count: 32)))
        let old = try KeyRing.Entry(id: "k1", secret: SecretKey(bytes: [UInt8](repeating: 0x17, count: 32)))
        let ring = try KeyRing([current, old])
        let purpose = KeyPurpose("fuzz")
        let sealed = SealedValueCodec(ring: ring, purpose: purpose, compression: .whenSmaller)
        let sealedSamples = try SealedValueFuzzing.sampleValues.map { try sealed.seal(Array($0.utf8), name: "session", now: now) }
        let hmacKey = SymmetricKey(data: Array(interopSecret.utf8))
        let jwtKey = try await JWTVerificationKey.hmac(hmacKey, algorithm: .hs256, id: "fuzz", issuer: nil)
        let policy = JWTVerificationPolicy(
            allowedAlgorithms: [.hs256], issuer: nil, audiences: [], requiredType: nil, requiredClaims: [], leeway: 60, maximumAge: nil)
        return FuzzFixtures(
            signed: SignedValueCodec(ring: ring, purpose: purpose),
            signedOldKey: SignedValueCodec(ring: try KeyRing([old]), purpose: purpose),
            sealed: sealed,
            tornado: TornadoSignedValue(secret: interopSecret),
            flask: FlaskSessionCookie(secretKey: interopSecret),
            djangoSession: DjangoSessionCookie(secretKey: interopSecret),
            djangoCookie: DjangoSignedCookie(secretKey: interopSecret),
            jwtVerifier: try JWTVerifier(keys: JWTKeySet([jwtKey]), policy: policy, clock: ManualWallClock(jwtNow)),
            jwtSigner: try JWTSigner(key: jwtKey),
            jwtSecret: hmacKey,
            sealedSamples: sealedSamples)
    }
}
