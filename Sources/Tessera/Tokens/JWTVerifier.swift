import Foundation

/// Verifies compact JWS tokens against a fixed key set and policy.
///
/// The order of checks is the defence: size first (J-22), then shape and
/// encoding (J-14, J-15), the header (J-01, J-06, J-07, J-16, J-17), the
/// key and its bound algorithm (J-02 to J-05), the signature (jwt-kit's
/// arithmetic), and only then the claims (J-08 to J-13). Claims are never
/// returned unless everything passed.
public struct JWTVerifier: Sendable {
    /// Tokens longer than this are refused before any decoding.
    public static let maximumTokenBytes = 8192

    /// The trusted keys.
    public let keys: JWTKeySet
    /// What a token must satisfy.
    public let policy: JWTVerificationPolicy
    /// The time source for `exp`, `nbf` and `iat`.
    public let clock: any WallClock

    /// Header members that would let a token bring its own key.
    static let keyCarryingHeaders: Set<String> = ["jwk", "jku", "x5u", "x5c"]

    /// A verifier for `keys` under `policy`.
    public init(keys: JWTKeySet, policy: JWTVerificationPolicy, clock: any WallClock = SystemWallClock()) throws(JWTKeyError) {
        try policy.validate()
        self.keys = keys
        self.policy = policy
        self.clock = clock
    }

    /// Verifies `token`, returning its claims only if every check passes.
    public func verify(_ token: String) throws(JWTVerificationError) -> VerifiedJWT {
        try verify(Array(token.utf8))
    }

    /// Verifies the token bytes, returning its claims only if every check passes.
    public func verify(_ token: [UInt8]) throws(JWTVerificationError) -> VerifiedJWT {
        let jws = try CompactJWS(token, maximumBytes: Self.maximumTokenBytes)
        let key = try checkHeader(jws)
        guard !jws.signature.isEmpty else { throw .unsigned }
        guard key.verify(jws.signature, signs: jws.signingInput) else { throw .badSignature }
        guard case .object(let members)? = try? JSONParser.parse(jws.payloadBytes, rejectingDuplicateMembers: true) else {
            throw .malformedClaims
        }
        let claims = JSONValue.object(members)
        try checkClaims(claims, key: key)
        return VerifiedJWT(keyID: key.id, algorithm: key.algorithm, header: .object(jws.header), claims: claims)
    }

    private func checkHeader(_ jws: CompactJWS) throws(JWTVerificationError) -> JWTVerificationKey {
        guard case .string(let name)? = jws.headerValue("alg") else { throw .malformedHeader }
        if name.lowercased() == "none" { throw .unsigned }
        guard let algorithm = JWSAlgorithm(rawValue: name), policy.allowedAlgorithms.contains(algorithm) else {
            throw .algorithmNotAllowed
        }
        if jws.headerValue("crit") != nil { throw .unsupportedCriticalHeader }
        if jws.header.contains(where: { Self.keyCarryingHeaders.contains($0.0) }) { throw .embeddedKeyRefused }
        if let required = policy.requiredType {
            guard case .string(let type)? = jws.headerValue("typ"),
                  JWTVerificationPolicy.normalisedType(type) == JWTVerificationPolicy.normalisedType(required)
            else { throw .wrongType }
        }
        let keyID: String?
        switch jws.headerValue("kid") {
        case nil: keyID = nil
        case .string(let id)? where id.utf8.count <= JWTVerificationKey.maximumIDLength: keyID = id
        default: throw .unknownKey
        }
        guard let key = keys.key(forID: keyID) else { throw .unknownKey }
        guard key.algorithm == algorithm else { throw .algorithmNotAllowed }
        return key
    }

    private func checkClaims(_ claims: JSONValue, key: JWTVerificationKey) throws(JWTVerificationError) {
        for name in policy.requiredClaims.sorted() where claims[name] == nil { throw .missingClaim(name) }
        let now = clock.now().timeIntervalSince1970
        let leeway = policy.leeway
        if let value = claims["exp"] {
            guard let exp = Self.seconds(value) else { throw .invalidClaim("exp") }
            if now >= exp + leeway { throw .expired }
        }
        if let value = claims["nbf"] {
            guard let nbf = Self.seconds(value) else { throw .invalidClaim("nbf") }
            if nbf > now + leeway { throw .notYetValid }
        }
        if let value = claims["iat"] {
            guard let iat = Self.seconds(value) else { throw .invalidClaim("iat") }
            if iat > now + leeway { throw .issuedAtOutOfRange }
            if let maximumAge = policy.maximumAge, now - iat > maximumAge + leeway { throw .issuedAtOutOfRange }
        } else if policy.maximumAge != nil {
            throw .missingClaim("iat")
        }
        let issuer: String?
        switch claims["iss"] {
        case nil: issuer = nil
        case .string(let value)?: issuer = value
        default: throw .invalidClaim("iss")
        }
        if let expected = policy.issuer, issuer != expected { throw .wrongIssuer }
        if let owner = key.issuer, issuer != owner { throw .wrongIssuer }
        let audiences: [String]
        switch claims["aud"] {
        case nil: audiences = []
        case .string(let value)?: audiences = [value]
        case .array(let values)?:
            var strings: [String] = []
            for value in values {
                guard case .string(let audience) = value else { throw .invalidClaim("aud") }
                strings.append(audience)
            }
            audiences = strings
        default: throw .invalidClaim("aud")
        }
        if policy.audiences.isEmpty {
            if claims["aud"] != nil { throw .wrongAudience }
        } else if !audiences.contains(where: policy.audiences.contains) {
            throw .wrongAudience
        }
        for name in ["sub", "jti"] {
            if let value = claims[name], value.stringValue == nil { throw .invalidClaim(name) }
        }
    }

    /// A NumericDate (RFC 7519 §2): a JSON number of seconds; anything else is `nil`.
    static func seconds(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let digits): Double(digits).flatMap { $0.isFinite ? $0 : nil }
        case .double(let number): number.isFinite ? number : nil
        default: nil
        }
    }
}
