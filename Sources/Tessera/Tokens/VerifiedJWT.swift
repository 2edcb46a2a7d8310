import Foundation

/// A token whose signature and claims passed every check. This is the only
/// way to read a token's claims (J-23): there is no unverified accessor.
public struct VerifiedJWT: Sendable {
    /// The id of the key that verified it.
    public let keyID: String
    /// The algorithm it was signed with.
    public let algorithm: JWSAlgorithm
    /// The protected header.
    public let header: JSONValue
    /// The claims, as the JSON object the token carries.
    public let claims: JSONValue

    /// A claim by name.
    public subscript(claim name: String) -> JSONValue? { claims[name] }
    /// `sub`.
    public var subject: String? { claims["sub"]?.stringValue }
    /// `jti`.
    public var tokenID: String? { claims["jti"]?.stringValue }
    /// `iss`.
    public var issuer: String? { claims["iss"]?.stringValue }
    /// `exp` as a date.
    public var expiresAt: Date? { claims["exp"].flatMap(JWTVerifier.seconds).map(Date.init(timeIntervalSince1970:)) }
    /// `iat` as a date.
    public var issuedAt: Date? { claims["iat"].flatMap(JWTVerifier.seconds).map(Date.init(timeIntervalSince1970:)) }
    /// `scope`, split on spaces (RFC 8693 §4.2).
    public var scopes: [String] { claims["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? [] }
}
