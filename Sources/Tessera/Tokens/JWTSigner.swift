/// Produces compact JWS tokens with a signing key from a ``JWTKeySet``.
///
/// The header always carries `alg` (the key's bound algorithm), `kid` and
/// `typ`; the claims are written as given. jwt-kit computes the signature.
public struct JWTSigner: Sendable {
    /// The key that signs.
    public let key: JWTVerificationKey

    /// A signer using `key`, which must hold private material (or be an HMAC key).
    public init(key: JWTVerificationKey) throws(JWTKeyError) {
        guard key.canSign else { throw .invalidConfiguration("the key \"\(key.id)\" is a public key and cannot sign") }
        self.key = key
    }

    /// Signs `claims` (a JSON object) and returns the compact token.
    public func sign(_ claims: JSONValue, type: String = "JWT") throws(JWTKeyError) -> String {
        guard case .object = claims else { throw .invalidConfiguration("JWT claims must be a JSON object") }
        let header = JSONValue.object([("alg", .string(key.algorithm.rawValue)), ("kid", .string(key.id)), ("typ", .string(type))])
        return try sign(header: JSONWriter().bytes(header), claims: JSONWriter().bytes(claims))
    }

    /// Signs exact header and payload bytes: for reproducing a peer's tokens byte for byte.
    func sign(header: [UInt8], claims: [UInt8]) throws(JWTKeyError) -> String {
        var input: [UInt8] = []
        Base64.appendURLSafe(header, to: &input)
        input.append(UInt8(ascii: "."))
        Base64.appendURLSafe(claims, to: &input)
        let signature = try key.sign(input)
        input.append(UInt8(ascii: "."))
        Base64.appendURLSafe(signature, to: &input)
        return String(decoding: input, as: UTF8.self)
    }
}
