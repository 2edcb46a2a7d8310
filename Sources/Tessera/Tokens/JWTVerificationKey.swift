import Crypto
import Foundation
import JWTKit

/// One JWT key, bound to exactly one algorithm (RFC 8725bis §3.1): a token
/// whose `alg` differs from the key's is refused before any signature work,
/// which is what defeats HS/RS key confusion.
///
/// The signature arithmetic and the PEM and JWK readers are jwt-kit's;
/// Tessera adds the binding of id, algorithm and issuer, and the checks
/// jwt-kit leaves to the caller.
public struct JWTVerificationKey: Sendable, CustomStringConvertible {
    /// The `kid` tokens carry to name this key.
    public let id: String
    /// The one algorithm this key accepts and signs with.
    public let algorithm: JWSAlgorithm
    /// The issuer this key belongs to; when set, a token signed by it must
    /// carry this `iss` (RFC 8725 §3.8), whatever the verifier trusts otherwise.
    public let issuer: String?
    /// Whether the key holds private material (or is an HMAC key) and can sign.
    public let canSign: Bool
    /// The public half as a JWK, for asymmetric keys; `nil` for HMAC keys.
    public let publicJWK: JSONValue?
    let signer: any JWTAlgorithm

    /// The longest key id accepted.
    public static let maximumIDLength = 128

    private init(id: String, algorithm: JWSAlgorithm, issuer: String?, canSign: Bool, publicJWK: JSONValue?, signer: any JWTAlgorithm) {
        self.id = id
        self.algorithm = algorithm
        self.issuer = issuer
        self.canSign = canSign
        self.publicJWK = publicJWK
        self.signer = signer
    }

    public var description: String {
        "JWTVerificationKey(kid: \(id), alg: \(algorithm)\(canSign ? ", can sign" : ""))"
    }

    static func checkID(_ id: String) throws(JWTKeyError) {
        guard !id.isEmpty, id.utf8.count <= maximumIDLength,
              id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { throw .invalidKeyID("a key id is 1 to \(maximumIDLength) printable ASCII characters") }
    }

    /// An HMAC key. It must be at least as long as the hash (32 bytes for
    /// HS256), so a password or a short string can never be a JWT key (J-18).
    public static func hmac(
        _ key: SymmetricKey, algorithm: JWSAlgorithm = .hs256, id: String, issuer: String? = nil
    ) async throws(JWTKeyError) -> JWTVerificationKey {
        try checkID(id)
        guard algorithm.keyFamily == .hmac else { throw .keyDoesNotMatchAlgorithm(algorithm) }
        guard key.bitCount / 8 >= algorithm.minimumHMACKeyBytes else {
            throw .hmacKeyTooShort(algorithm: algorithm, minimumBytes: algorithm.minimumHMACKeyBytes)
        }
        let digest: DigestAlgorithm = switch algorithm {
        case .hs384: .sha384
        case .hs512: .sha512
        default: .sha256
        }
        return try await assemble(id: id, algorithm: algorithm, issuer: issuer, canSign: true, publicJWK: nil) {
            await $0.add(hmac: HMACKey(key: key), digestAlgorithm: digest, kid: $1)
        }
    }

    /// The HS256 key derived for JWTs from one entry of a key ring; its
    /// `kid` is the entry's id, so ring rotation rotates JWT keys too.
    public static func derived(from entry: KeyRing.Entry, issuer: String? = nil) async throws(JWTKeyError) -> JWTVerificationKey {
        try await hmac(
            KeyDerivation.subKey(of: entry.secret, context: entry.id, purpose: KeyPurpose("jwt-hs256")),
            algorithm: .hs256, id: entry.id, issuer: issuer)
    }

    /// A public key in PEM (`-----BEGIN PUBLIC KEY-----`) for an RSA, ECDSA or EdDSA algorithm.
    public static func publicKey(
        pem: String, algorithm: JWSAlgorithm, id: String, issuer: String? = nil
    ) async throws(JWTKeyError) -> JWTVerificationKey {
        try await fromPEM(pem, algorithm: algorithm, id: id, issuer: issuer, isPrivate: false)
    }

    /// A private key in PEM (`-----BEGIN PRIVATE KEY-----`): signs, and verifies with its public half.
    public static func privateKey(
        pem: String, algorithm: JWSAlgorithm, id: String, issuer: String? = nil
    ) async throws(JWTKeyError) -> JWTVerificationKey {
        try await fromPEM(pem, algorithm: algorithm, id: id, issuer: issuer, isPrivate: true)
    }

    private static func fromPEM(
        _ pem: String, algorithm: JWSAlgorithm, id: String, issuer: String?, isPrivate: Bool
    ) async throws(JWTKeyError) -> JWTVerificationKey {
        func ecdsa(_ key: some ECDSAKey, _ parameters: ECDSAParameters?, curve: String) async throws(JWTKeyError) -> JWTVerificationKey {
            try await assemble(id: id, algorithm: algorithm, issuer: issuer, canSign: isPrivate, publicJWK: ecJWK(parameters, curve: curve)) {
                await $0.add(ecdsa: key, kid: $1)
            }
        }
        func edDSA(_ key: some EdDSAKey, _ publicKey: EdDSA.PublicKey) async throws(JWTKeyError) -> JWTVerificationKey {
            try await assemble(id: id, algorithm: algorithm, issuer: issuer, canSign: isPrivate, publicJWK: okpJWK(publicKey.rawRepresentation)) {
                await $0.add(eddsa: key, kid: $1)
            }
        }
        func rsa(_ key: some RSAKey) async throws(JWTKeyError) -> JWTVerificationKey {
            try await assemble(id: id, algorithm: algorithm, issuer: issuer, canSign: isPrivate, publicJWK: nil) {
                await addRSA(key, algorithm: algorithm, to: $0, kid: $1)
            }
        }
        do {
            switch (algorithm, isPrivate) {
            case (.es256, false): let key = try ES256PublicKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-256")
            case (.es256, true): let key = try ES256PrivateKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-256")
            case (.es384, false): let key = try ES384PublicKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-384")
            case (.es384, true): let key = try ES384PrivateKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-384")
            case (.es512, false): let key = try ES512PublicKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-521")
            case (.es512, true): let key = try ES512PrivateKey(pem: pem); return try await ecdsa(key, key.parameters, curve: "P-521")
            case (.edDSA, false): let key = try EdDSA.PublicKey(pem: pem); return try await edDSA(key, key)
            case (.edDSA, true): let key = try EdDSA.PrivateKey(pem: pem); return try await edDSA(key, key.publicKey)
            case (.rs256, false), (.rs384, false), (.rs512, false), (.ps256, false), (.ps384, false), (.ps512, false):
                return try await rsa(try Insecure.RSA.PublicKey(pem: pem))
            case (.rs256, true), (.rs384, true), (.rs512, true), (.ps256, true), (.ps384, true), (.ps512, true):
                return try await rsa(try Insecure.RSA.PrivateKey(pem: pem))
            case (.hs256, _), (.hs384, _), (.hs512, _):
                throw JWTKeyError.keyDoesNotMatchAlgorithm(algorithm)
            }
        } catch let error as JWTKeyError {
            throw error
        } catch {
            throw .keyDoesNotMatchAlgorithm(algorithm)
        }
    }

    /// A new random signing key pair for ES256 or EdDSA, the asymmetric
    /// choices for tokens Tessera issues.
    public static func generate(algorithm: JWSAlgorithm, id: String, issuer: String? = nil) async throws(JWTKeyError) -> JWTVerificationKey {
        switch algorithm {
        case .es256:
            return try await privateKey(pem: ES256PrivateKey().pemRepresentation, algorithm: .es256, id: id, issuer: issuer)
        case .edDSA:
            let key: EdDSA.PrivateKey
            do { key = try EdDSA.PrivateKey(curve: .ed25519) } catch { throw .unreadableKey("could not generate an Ed25519 key") }
            return try await privateKey(pem: key.pemRepresentation, algorithm: .edDSA, id: id, issuer: issuer)
        default:
            throw .invalidConfiguration("generate makes ES256 or EdDSA key pairs; for HS256 derive the key from the key ring")
        }
    }

    static func addRSA(_ key: some RSAKey, algorithm: JWSAlgorithm, to collection: JWTKeyCollection, kid: JWKIdentifier) async {
        let digest: DigestAlgorithm = switch algorithm {
        case .rs384, .ps384: .sha384
        case .rs512, .ps512: .sha512
        default: .sha256
        }
        if algorithm.keyFamily == .rsaPSS {
            await collection.add(pss: key, digestAlgorithm: digest, kid: kid)
        } else {
            await collection.add(rsa: key, digestAlgorithm: digest, kid: kid)
        }
    }

    /// Registers a jwt-kit key under `id` and binds the resulting signer to `algorithm`.
    static func assemble(
        id: String, algorithm: JWSAlgorithm, issuer: String?, canSign: Bool, publicJWK: JSONValue?,
        register: (JWTKeyCollection, JWKIdentifier) async -> Void
    ) async throws(JWTKeyError) -> JWTVerificationKey {
        try checkID(id)
        let collection = JWTKeyCollection()
        await register(collection, JWKIdentifier(string: id))
        return JWTVerificationKey(
            id: id, algorithm: algorithm, issuer: issuer, canSign: canSign,
            publicJWK: publicJWK.map { withMetadata($0, id: id, algorithm: algorithm) },
            signer: try await signer(of: collection, id: id, algorithm: algorithm))
    }

    private static func signer(of collection: JWTKeyCollection, id: String, algorithm: JWSAlgorithm) async throws(JWTKeyError) -> any JWTAlgorithm {
        do {
            return try await collection.getKey(for: JWKIdentifier(string: id), alg: algorithm.rawValue)
        } catch {
            throw .keyDoesNotMatchAlgorithm(algorithm)
        }
    }

    static func ecJWK(_ parameters: ECDSAParameters?, curve: String) -> JSONValue? {
        guard let parameters else { return nil }
        return .object([("kty", .string("EC")), ("crv", .string(curve)), ("x", .string(parameters.x)), ("y", .string(parameters.y))])
    }

    static func okpJWK(_ raw: Data) -> JSONValue {
        .object([("kty", .string("OKP")), ("crv", .string("Ed25519")), ("x", .string(Base64.urlSafeEncode(Array(raw))))])
    }

    private static func withMetadata(_ jwk: JSONValue, id: String, algorithm: JWSAlgorithm) -> JSONValue {
        guard case .object(var members) = jwk else { return jwk }
        members.append(("kid", .string(id)))
        members.append(("alg", .string(algorithm.rawValue)))
        members.append(("use", .string("sig")))
        return .object(members)
    }

    /// Signs `input` (the JWS signing input) with this key.
    func sign(_ input: [UInt8]) throws(JWTKeyError) -> [UInt8] {
        guard canSign else { throw .invalidConfiguration("the key \"\(id)\" is a public key and cannot sign") }
        do { return try signer.sign(input) } catch { throw .invalidConfiguration("signing with the key \"\(id)\" failed") }
    }

    /// Whether `signature` is a valid signature of `input` under this key.
    func verify(_ signature: [UInt8], signs input: ArraySlice<UInt8>) -> Bool {
        (try? signer.verify(signature, signs: input)) ?? false
    }
}
