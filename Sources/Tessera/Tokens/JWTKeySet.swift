/// The keys a verifier trusts, by `kid`. Keys come only from here: never
/// from a token's header, a URL it names, or the file system (J-05, J-06).
public struct JWTKeySet: Sendable, CustomStringConvertible {
    private let keys: [String: JWTVerificationKey]
    /// The keys in the order given.
    public let ordered: [JWTVerificationKey]

    /// A set of `keys`; ids must be distinct.
    public init(_ keys: [JWTVerificationKey]) throws(JWTKeyError) {
        var byID: [String: JWTVerificationKey] = [:]
        for key in keys {
            guard byID[key.id] == nil else { throw .invalidKeyID("the key id \"\(key.id)\" is used twice") }
            byID[key.id] = key
        }
        self.keys = byID
        self.ordered = keys
    }

    /// The key a token names. A token without `kid` is matched only when
    /// the set holds exactly one key, so it can't pick among several.
    public func key(forID id: String?) -> JWTVerificationKey? {
        guard let id else { return ordered.count == 1 ? ordered[0] : nil }
        return keys[id]
    }

    /// The first key that can sign, if any.
    public var signingKey: JWTVerificationKey? { ordered.first(where: \.canSign) }

    /// The JWK Set (RFC 7517 §5) of the asymmetric public keys, for
    /// publishing at a `jwks.json` endpoint. HMAC keys are never listed.
    public var jwks: JSONValue {
        .object([("keys", .array(ordered.compactMap(\.publicJWK)))])
    }

    public var description: String { "JWTKeySet(\(ordered.map { "\($0.id):\($0.algorithm)" }.joined(separator: ", ")))" }
}
