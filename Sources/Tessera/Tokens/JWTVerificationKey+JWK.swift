import Crypto
import Foundation
import JWTKit

extension JWTVerificationKey {
    /// A key from a JWK (RFC 7517): `oct` (HMAC), `EC` (P-256/384/521),
    /// `OKP` (Ed25519) or `RSA`. Private members (`d`) make a signing key
    /// for EC and OKP.
    ///
    /// The algorithm is the JWK's `alg`, else `algorithm`, else the only
    /// one the key type allows (`RS256` for RSA, `HS256` for oct). A
    /// verifier's allow-list then decides which keys are usable. A JWK whose `use` is not `sig`, or whose
    /// `key_ops` lacks `verify`/`sign`, is refused. Its `kid` becomes the
    /// key id (`default` when absent).
    public static func jwk(_ jwk: JSONValue, algorithm: JWSAlgorithm? = nil, issuer: String? = nil) async throws(JWTKeyError) -> JWTVerificationKey {
        guard case .object = jwk, let keyType = jwk["kty"]?.stringValue else { throw .unreadableKey("a JWK is a JSON object with \"kty\"") }
        if let use = jwk["use"], use != .string("sig") { throw .unreadableKey("the JWK's \"use\" is not \"sig\"") }
        if case .array(let operations)? = jwk["key_ops"],
           !operations.contains(.string("verify")), !operations.contains(.string("sign")) {
            throw .unreadableKey("the JWK's \"key_ops\" allow neither sign nor verify")
        }
        var declared: JWSAlgorithm?
        if let name = jwk["alg"] {
            guard let text = name.stringValue, let parsed = JWSAlgorithm(rawValue: text) else {
                throw .unsupportedAlgorithm(name.stringValue ?? "(not a string)")
            }
            declared = parsed
        }
        let id = jwk["kid"]?.stringValue ?? "default"
        let member = { (name: String) throws(JWTKeyError) -> String in
            guard let value = jwk[name]?.stringValue, !value.isEmpty else { throw .unreadableKey("the JWK lacks \"\(name)\"") }
            return value
        }
        let isPrivate = jwk["d"] != nil
        do {
            switch keyType {
            case "oct":
                let chosen = declared ?? algorithm ?? .hs256
                guard let secret = Base64.decode(try member("k"), .canonicalURLSafe) else { throw JWTKeyError.unreadableKey("\"k\" is not base64url") }
                return try await hmac(SymmetricKey(data: secret), algorithm: chosen, id: id, issuer: issuer)
            case "EC":
                let curve = try member("crv")
                let implied: JWSAlgorithm = switch curve {
                case "P-256": .es256
                case "P-384": .es384
                case "P-521": .es512
                default: throw JWTKeyError.unreadableKey("unsupported EC curve")
                }
                let chosen = declared ?? algorithm ?? implied
                guard chosen == implied else { throw JWTKeyError.keyDoesNotMatchAlgorithm(chosen) }
                let parameters = (x: try member("x"), y: try member("y"))
                let publicJWK = ecJWK(parameters, curve: curve)
                switch (chosen, isPrivate) {
                case (.es256, false):
                    let key = try ES256PublicKey(parameters: parameters)
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: false, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                case (.es256, true):
                    let key = try ES256PrivateKey(key: try member("d"))
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: true, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                case (.es384, false):
                    let key = try ES384PublicKey(parameters: parameters)
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: false, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                case (.es384, true):
                    let key = try ES384PrivateKey(key: try member("d"))
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: true, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                case (_, false):
                    let key = try ES512PublicKey(parameters: parameters)
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: false, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                case (_, true):
                    let key = try ES512PrivateKey(key: try member("d"))
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: true, publicJWK: publicJWK) { await $0.add(ecdsa: key, kid: $1) }
                }
            case "OKP":
                guard try member("crv") == "Ed25519" else { throw JWTKeyError.unreadableKey("unsupported OKP curve (only Ed25519)") }
                let chosen = declared ?? algorithm ?? .edDSA
                guard chosen == .edDSA else { throw JWTKeyError.keyDoesNotMatchAlgorithm(chosen) }
                let x = try member("x")
                let publicJWK: JSONValue = .object([("kty", .string("OKP")), ("crv", .string("Ed25519")), ("x", .string(x))])
                if isPrivate {
                    let key = try EdDSA.PrivateKey(d: try member("d"), curve: .ed25519)
                    guard Base64.urlSafeEncode(Array(key.publicKey.rawRepresentation)) == x else {
                        throw JWTKeyError.unreadableKey("the JWK's \"d\" does not match its \"x\"")
                    }
                    return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: true, publicJWK: publicJWK) { await $0.add(eddsa: key, kid: $1) }
                }
                let key = try EdDSA.PublicKey(x: x, curve: .ed25519)
                return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: false, publicJWK: publicJWK) { await $0.add(eddsa: key, kid: $1) }
            case "RSA":
                let chosen = declared ?? algorithm ?? .rs256
                guard chosen.keyFamily == .rsa || chosen.keyFamily == .rsaPSS else { throw JWTKeyError.keyDoesNotMatchAlgorithm(chosen) }
                guard !isPrivate else { throw JWTKeyError.unreadableKey("RSA private JWKs are not supported; use a PEM file") }
                let n = try member("n"), e = try member("e")
                let key = try Insecure.RSA.PublicKey(modulus: n, exponent: e)
                let publicJWK: JSONValue = .object([("kty", .string("RSA")), ("n", .string(n)), ("e", .string(e))])
                return try await assemble(id: id, algorithm: chosen, issuer: issuer, canSign: false, publicJWK: publicJWK) {
                    await addRSA(key, algorithm: chosen, to: $0, kid: $1)
                }
            default:
                throw JWTKeyError.unreadableKey("unsupported \"kty\"")
            }
        } catch let error as JWTKeyError {
            throw error
        } catch {
            throw .unreadableKey("the JWK's key material is not valid")
        }
    }
}

extension JWTKeySet {
    /// Keys from JWK JSON text: one JWK, or a JWK Set (`{"keys": [...]}`).
    /// `algorithm`, when given, is the algorithm of keys that carry no `alg`.
    public static func parse(jwkJSON text: String, algorithm: JWSAlgorithm? = nil, issuer: String? = nil) async throws(JWTKeyError) -> JWTKeySet {
        let document: JSONValue
        do { document = try JSONParser.parse(Array(text.utf8), rejectingDuplicateMembers: true) } catch {
            throw .unreadableKey("not valid JSON")
        }
        var jwks: [JSONValue] = [document]
        if case .array(let keys)? = document["keys"] { jwks = keys }
        guard !jwks.isEmpty else { throw .unreadableKey("the JWK Set holds no keys") }
        var keys: [JWTVerificationKey] = []
        for jwk in jwks { keys.append(try await JWTVerificationKey.jwk(jwk, algorithm: algorithm, issuer: issuer)) }
        return try JWTKeySet(keys)
    }
}
