/// A JWS signature algorithm Tessera can verify, spelled exactly as in
/// RFC 7518 (the comparison is case-sensitive: `hs256` is not `HS256`).
///
/// There is no `none`: an unsigned token is never a valid token, in any spelling.
public enum JWSAlgorithm: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"

    /// The kind of key the algorithm needs.
    public enum KeyFamily: String, Sendable {
        case hmac, rsa, rsaPSS, ecdsa, edDSA
    }

    /// The kind of key the algorithm needs.
    public var keyFamily: KeyFamily {
        switch self {
        case .hs256, .hs384, .hs512: .hmac
        case .rs256, .rs384, .rs512: .rsa
        case .ps256, .ps384, .ps512: .rsaPSS
        case .es256, .es384, .es512: .ecdsa
        case .edDSA: .edDSA
        }
    }

    /// Whether a token signed with it can be checked with a public key only.
    public var isAsymmetric: Bool { keyFamily != .hmac }

    /// The shortest HMAC key the algorithm accepts: the hash size (RFC 7518 §3.2).
    public var minimumHMACKeyBytes: Int {
        switch self {
        case .hs384: 48
        case .hs512: 64
        default: 32
        }
    }

    public var description: String { rawValue }
}
