import Foundation
@testable import Tessera

/// Runs PyJWT vectors (`jwt-hs256`, `jwt-rs256`, `jwt-es256`, `jwt-eddsa`)
/// through ``JWTVerifier`` configured as PyJWT's `jwt.decode` was: the
/// vector's allowed algorithms, audience, issuer and leeway, no `typ`
/// requirement and no required claims.
enum InteropJWTRunner {
    static let formats: Set<String> = ["jwt-hs256", "jwt-rs256", "jwt-es256", "jwt-eddsa"]

    /// Vectors PyJWT accepts that Tessera refuses on purpose, and why.
    static let policyRefusals: [String: String] = [
        "jwths256-047-short-secret": "RFC 7518 §3.2 / J-18: an HMAC key shorter than its hash is refused when the key is configured",
        "jwths256-048-unicode-secret": "the same rule: this non-ASCII secret is under 32 bytes",
    ]

    static func run(_ vector: InteropVector) async throws -> InteropRunner.Outcome {
        guard let algorithmName = vector.string("alg"), let algorithm = JWSAlgorithm(rawValue: algorithmName) else {
            throw InteropRunner.Failure.badVector("alg \(vector.string("alg") ?? "")")
        }
        let key: JWTVerificationKey
        do {
            key = try await verificationKey(vector, algorithm: algorithm)
        } catch let error as JWTKeyError {
            guard policyRefusals[vector.id] != nil else { throw InteropRunner.Failure.badVector("\(error)") }
            return InteropRunner.Outcome(verdict: "refused-by-policy")
        }
        var allowed: Set<JWSAlgorithm> = []
        if case .array(let names)? = vector.fields["algorithms"] {
            for name in names.compactMap(\.stringValue) { if let algorithm = JWSAlgorithm(rawValue: name) { allowed.insert(algorithm) } }
        }
        let policy = JWTVerificationPolicy(
            allowedAlgorithms: allowed.isEmpty ? [algorithm] : allowed,
            issuer: vector.string("issuer"),
            audiences: vector.string("audience").map { [$0] } ?? [],
            requiredClaims: [], leeway: vector.number("leeway") ?? 0)
        let verifier = try JWTVerifier(keys: JWTKeySet([key]), policy: policy, clock: ManualWallClock(vector.now))
        var outcome: InteropRunner.Outcome
        do {
            let verified = try verifier.verify(vector.token)
            outcome = InteropRunner.Outcome(verdict: "valid")
            outcome.valueMatches = verified.claims == vector.jsonValue
        } catch .expired {
            outcome = InteropRunner.Outcome(verdict: "expired")
        } catch {
            outcome = InteropRunner.Outcome(verdict: "invalid")
        }
        if vector.isRegenerable, vector.expect == "valid", algorithm != .es256 {
            outcome.regenerated = try await regenerate(vector, algorithm: algorithm) == vector.token
        }
        return outcome
    }

    /// The verifier's key: the HMAC secret, or the public key (PEM, cross-checked against the JWK).
    static func verificationKey(_ vector: InteropVector, algorithm: JWSAlgorithm) async throws -> JWTVerificationKey {
        let id = vector.fields["header"]?["kid"]?.stringValue ?? "vector"
        if algorithm.keyFamily == .hmac {
            return try await .hmac(.init(data: Array((vector.string("secret") ?? "").utf8)), algorithm: algorithm, id: id)
        }
        guard let pem = vector.string("public_key_pem") else { throw InteropRunner.Failure.badVector("no public_key_pem") }
        let key = try await JWTVerificationKey.publicKey(pem: pem, algorithm: algorithm, id: id)
        if let jwk = vector.fields["public_jwk"], algorithm != .rs256 {
            for member in ["x", "y", "crv", "kty"] where jwk[member] != key.publicJWK?[member] {
                throw InteropRunner.Failure.badVector("public_jwk \(member) differs from the PEM key")
            }
        }
        return key
    }

    /// Signs the vector's exact header and payload JSON with the signing key.
    static func regenerate(_ vector: InteropVector, algorithm: JWSAlgorithm) async throws -> String {
        let key: JWTVerificationKey
        if algorithm.keyFamily == .hmac {
            key = try await .hmac(.init(data: Array((vector.signing("secret") ?? "").utf8)), algorithm: algorithm, id: "vector")
        } else {
            guard let pem = vector.string("private_key_pem") else { throw InteropRunner.Failure.badVector("no private_key_pem") }
            key = try await .privateKey(pem: pem, algorithm: algorithm, id: "vector")
        }
        guard let header = vector.fields["header"], let payload = vector.string("payload_json") else {
            throw InteropRunner.Failure.badVector("no header or payload_json")
        }
        return try JWTSigner(key: key).sign(header: JSONWriter(sortKeys: true).bytes(header), claims: Array(payload.utf8))
    }
}
