/// A compact JWS split and decoded under the strictest reading of RFC 7515:
/// exactly three segments, canonical unpadded base64url, a header that is a
/// JSON object with no repeated members. Nothing here trusts the token yet.
struct CompactJWS {
    let header: [(String, JSONValue)]
    let payloadBytes: [UInt8]
    let signature: [UInt8]
    /// `BASE64URL(header) || "." || BASE64URL(payload)`, the bytes the signature covers.
    let signingInput: ArraySlice<UInt8>

    init(_ token: [UInt8], maximumBytes: Int) throws(JWTVerificationError) {
        guard token.count <= maximumBytes else { throw .tooLarge }
        let dots = token.indices.filter { token[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { throw .notCompactSerialization }
        let headerPart = token[..<dots[0]]
        let payloadPart = token[(dots[0] + 1)..<dots[1]]
        let signaturePart = token[(dots[1] + 1)...]
        guard !headerPart.isEmpty, !payloadPart.isEmpty else { throw .notCompactSerialization }
        guard let headerBytes = Base64.decode(headerPart, .canonicalURLSafe),
              let payloadBytes = Base64.decode(payloadPart, .canonicalURLSafe),
              let signature = Base64.decode(signaturePart, .canonicalURLSafe)
        else { throw .malformedEncoding }
        guard case .object(let header)? = try? JSONParser.parse(headerBytes, rejectingDuplicateMembers: true) else {
            throw .malformedHeader
        }
        self.header = header
        self.payloadBytes = payloadBytes
        self.signature = signature
        self.signingInput = token[..<dots[1]]
    }

    func headerValue(_ name: String) -> JSONValue? {
        header.first(where: { $0.0 == name })?.1
    }
}
