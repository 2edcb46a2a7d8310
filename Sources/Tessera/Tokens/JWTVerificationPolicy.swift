import Foundation

/// What a ``JWTVerifier`` demands of a token beyond a good signature.
public struct JWTVerificationPolicy: Sendable {
    /// The algorithms accepted (each key is further bound to its own one).
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// The `iss` every token must carry, if set.
    public var issuer: String?
    /// The audiences this service answers to. A token's `aud` must name at
    /// least one. When empty, a token that has an `aud` is refused: it was
    /// meant for someone else (as PyJWT decides).
    public var audiences: Set<String>
    /// The `typ` every token must carry (compared as a media type:
    /// case-insensitive, `application/` optional), or `nil` to accept any.
    public var requiredType: String?
    /// Claims that must be present (e.g. `exp`).
    public var requiredClaims: Set<String>
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    public var leeway: TimeInterval
    /// Tokens whose `iat` is older than this are refused, if set.
    public var maximumAge: TimeInterval?

    /// The most leeway a policy may have: RFC 7519 asks for "no more than a few minutes".
    public static let maximumLeeway: TimeInterval = 300

    /// A policy; every check is explicit.
    public init(
        allowedAlgorithms: Set<JWSAlgorithm>, issuer: String? = nil, audiences: Set<String> = [],
        requiredType: String? = nil, requiredClaims: Set<String> = ["exp"], leeway: TimeInterval = 30, maximumAge: TimeInterval? = nil
    ) {
        self.allowedAlgorithms = allowedAlgorithms
        self.issuer = issuer
        self.audiences = audiences
        self.requiredType = requiredType
        self.requiredClaims = requiredClaims
        self.leeway = leeway
        self.maximumAge = maximumAge
    }

    /// The policy for Tessera access tokens: `typ` `at+jwt` (RFC 9068), and
    /// `exp`, `iat`, `sub`, `jti` required.
    public static func accessTokens(algorithms: Set<JWSAlgorithm>, issuer: String, audiences: Set<String>, leeway: TimeInterval = 30) -> JWTVerificationPolicy {
        JWTVerificationPolicy(
            allowedAlgorithms: algorithms, issuer: issuer, audiences: audiences, requiredType: AccessTokens.tokenType,
            requiredClaims: ["exp", "iat", "sub", "jti"], leeway: leeway)
    }

    func validate() throws(JWTKeyError) {
        guard !allowedAlgorithms.isEmpty else { throw .invalidConfiguration("a JWT verifier needs at least one allowed algorithm") }
        guard leeway >= 0, leeway <= Self.maximumLeeway else {
            throw .invalidConfiguration("the leeway must be between 0 and \(Int(Self.maximumLeeway)) seconds")
        }
    }

    /// `typ` values compared as media types (RFC 7515 §4.1.9).
    static func normalisedType(_ type: String) -> String {
        let lowered = type.lowercased()
        return lowered.hasPrefix("application/") ? String(lowered.dropFirst("application/".count)) : lowered
    }
}
