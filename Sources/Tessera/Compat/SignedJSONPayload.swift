/// The payload of itsdangerous's and Django's JSON tokens:
/// `[.]B64URL(json or zlib(json))`, the leading `.` marking compression.
enum SignedJSONPayload {
    /// Encodes JSON bytes, compressing when `compress` is set and it saves
    /// more than one byte (as both libraries do).
    static func encode(json: [UInt8], compress: Bool) -> [UInt8] {
        var payload: [UInt8] = []
        if compress, let compressed = ZlibPayload.compressIfSmaller(json) {
            payload.append(UInt8(ascii: "."))
            Base64.appendURLSafe(compressed, to: &payload)
        } else {
            Base64.appendURLSafe(json, to: &payload)
        }
        return payload
    }

    /// Decodes a verified payload; `nil` for bad base64, zlib or JSON.
    static func decode<Bytes: Collection>(_ payload: Bytes) -> JSONValue? where Bytes.Element == UInt8 {
        var body = payload[...]
        let compressed = body.first == UInt8(ascii: ".")
        if compressed { body = body.dropFirst() }
        guard var json = Base64.decode(body, .pythonURLSafeLenient) else { return nil }
        if compressed {
            guard let inflated = ZlibPayload.decompress(json) else { return nil }
            json = inflated
        }
        return try? JSONParser.parse(json)
    }
}
