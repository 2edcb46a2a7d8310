/// Why Tessera refused a JWT. Each case names the check that failed;
/// none carries any part of the token.
public enum JWTVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Longer than ``JWTVerifier/maximumTokenBytes`` (checked before any decoding).
    case tooLarge
    /// Not three dot-separated segments (JSON serialisation, JWE, missing parts).
    case notCompactSerialization
    /// A segment is not canonical unpadded base64url.
    case malformedEncoding
    /// The header is not a JSON object in UTF-8 without repeated members, or lacks a string `alg`.
    case malformedHeader
    /// `alg` is `none` in some spelling, or the signature is empty.
    case unsigned
    /// `alg` is not on the verifier's allow-list, or differs from the algorithm bound to the key.
    case algorithmNotAllowed
    /// The header carries `jwk`, `jku`, `x5u` or `x5c`: keys come only from configuration.
    case embeddedKeyRefused
    /// The header carries `crit`: no JWS extension is supported.
    case unsupportedCriticalHeader
    /// `typ` is missing or not the type this verifier expects.
    case wrongType
    /// No configured key has the token's `kid` (or the token has none and there is more than one key).
    case unknownKey
    /// The signature does not verify.
    case badSignature
    /// The payload is not a JSON object in UTF-8 without repeated members.
    case malformedClaims
    /// A registered claim has the wrong JSON type (e.g. `exp` as a string).
    case invalidClaim(String)
    /// A claim the verifier requires is absent.
    case missingClaim(String)
    /// `exp` has passed (beyond the leeway).
    case expired
    /// `nbf` is still ahead (beyond the leeway).
    case notYetValid
    /// `iat` is in the future, or older than the verifier's maximum age.
    case issuedAtOutOfRange
    /// `iss` is not the expected issuer, or not the issuer the key belongs to.
    case wrongIssuer
    /// `aud` does not name this service (or is present when none is expected).
    case wrongAudience
    /// The token's `jti` was revoked, or its subject's sessions were all ended.
    case revoked

    /// A short stable code for logs and API responses.
    public var code: String {
        switch self {
        case .tooLarge: "jwt.too_large"
        case .notCompactSerialization: "jwt.not_compact"
        case .malformedEncoding: "jwt.bad_encoding"
        case .malformedHeader: "jwt.bad_header"
        case .unsigned: "jwt.unsigned"
        case .algorithmNotAllowed: "jwt.algorithm_not_allowed"
        case .embeddedKeyRefused: "jwt.embedded_key"
        case .unsupportedCriticalHeader: "jwt.crit"
        case .wrongType: "jwt.wrong_type"
        case .unknownKey: "jwt.unknown_key"
        case .badSignature: "jwt.bad_signature"
        case .malformedClaims: "jwt.bad_claims"
        case .invalidClaim: "jwt.invalid_claim"
        case .missingClaim: "jwt.missing_claim"
        case .expired: "jwt.expired"
        case .notYetValid: "jwt.not_yet_valid"
        case .issuedAtOutOfRange: "jwt.iat_out_of_range"
        case .wrongIssuer: "jwt.wrong_issuer"
        case .wrongAudience: "jwt.wrong_audience"
        case .revoked: "jwt.revoked"
        }
    }

    public var description: String {
        switch self {
        case .tooLarge: "the token is larger than \(JWTVerifier.maximumTokenBytes) bytes"
        case .notCompactSerialization: "not a compact JWS: expected header.payload.signature"
        case .malformedEncoding: "a segment is not canonical unpadded base64url"
        case .malformedHeader: "the header is not a JSON object with a string \"alg\" (repeated members are refused)"
        case .unsigned: "the token is unsigned (alg \"none\" or an empty signature)"
        case .algorithmNotAllowed: "the token's algorithm is not allowed for this key"
        case .embeddedKeyRefused: "the header carries its own key (jwk, jku, x5u or x5c); keys come only from configuration"
        case .unsupportedCriticalHeader: "the header marks extensions as critical (crit), and none is supported"
        case .wrongType: "the token's \"typ\" is not the type this verifier accepts"
        case .unknownKey: "no configured key matches the token's \"kid\""
        case .badSignature: "the signature does not verify"
        case .malformedClaims: "the payload is not a JSON object (repeated members are refused)"
        case .invalidClaim(let name): "the \"\(name)\" claim has the wrong type"
        case .missingClaim(let name): "the required \"\(name)\" claim is missing"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet (nbf)"
        case .issuedAtOutOfRange: "the token's \"iat\" is in the future or too old"
        case .wrongIssuer: "the token's issuer is not accepted"
        case .wrongAudience: "the token is not meant for this audience"
        case .revoked: "the token has been revoked"
        }
    }
}

/// Why a JWT key or verifier configuration was refused.
public enum JWTKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An HMAC key shorter than its hash (RFC 7518 §3.2, J-18).
    case hmacKeyTooShort(algorithm: JWSAlgorithm, minimumBytes: Int)
    /// The key material does not suit the algorithm (an RSA key for ES256, …).
    case keyDoesNotMatchAlgorithm(JWSAlgorithm)
    /// The PEM or JWK could not be read.
    case unreadableKey(String)
    /// A key id is empty, too long, or used twice.
    case invalidKeyID(String)
    /// An algorithm name Tessera does not support (or `none`).
    case unsupportedAlgorithm(String)
    /// The verifier allows no algorithm, or an issuer with several audiences signs without one.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .hmacKeyTooShort(let algorithm, let minimum):
            "an \(algorithm) key must be at least \(minimum) random bytes (RFC 7518 §3.2); generate one with `tessera keygen`"
        case .keyDoesNotMatchAlgorithm(let algorithm):
            "the key is not a key for \(algorithm)"
        case .unreadableKey(let reason):
            "the key could not be read: \(reason)"
        case .invalidKeyID(let reason):
            "invalid key id: \(reason)"
        case .unsupportedAlgorithm(let name):
            "unsupported JWS algorithm \"\(SafeText.printable(name))\"; use one of \(JWSAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidConfiguration(let reason):
            reason
        }
    }
}
