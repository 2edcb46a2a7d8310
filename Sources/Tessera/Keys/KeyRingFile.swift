import Foundation

/// The JSON form of a ``KeyRing``, as written by `tessera keygen`:
///
/// ```json
/// {
///   "version": 1,
///   "keys": [
///     { "id": "k20261121-3fa9", "secret": "<base64url, 32+ bytes>",
///       "notBefore": "2026-11-21T20:00:00Z", "notAfter": null }
///   ]
/// }
/// ```
public enum KeyRingFile {
    /// The environment variable that may hold a ring's JSON text.
    public static let environmentVariable = "TESSERA_KEY_RING"

    struct Document: Codable {
        var version: Int
        var keys: [Key]
    }

    struct Key: Codable {
        var id: String
        var secret: String
        var notBefore: Date?
        var notAfter: Date?
    }

    /// Parses a ring from its JSON text.
    /// - Throws: ``KeyError`` naming what is wrong; never the secret.
    public static func decode(_ data: Data) throws(KeyError) -> KeyRing {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = ISO8601DateFormatter.withFractions.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date"))
            }
            return date
        }
        let document: Document
        do {
            document = try decoder.decode(Document.self, from: data)
        } catch {
            throw .unreadableRing(reason: "not a key ring JSON document (expected {\"version\":1,\"keys\":[…]})")
        }
        guard document.version == 1 else {
            throw .unreadableRing(reason: "unsupported version \(document.version); this Tessera reads version 1")
        }
        var entries: [KeyRing.Entry] = []
        for key in document.keys {
            // The id is checked first, so a file with id and secret swapped
            // is reported without repeating the secret.
            guard KeyRing.isValidKeyID(key.id) else { throw .invalidKeyID(key.id) }
            guard let bytes = Base64.decode(key.secret, .pythonURLSafeLenient) else {
                throw .invalidSecretEncoding(keyID: key.id)
            }
            entries.append(try KeyRing.Entry(id: key.id, secret: SecretKey(bytes: bytes), notBefore: key.notBefore, notAfter: key.notAfter))
        }
        return try KeyRing(entries)
    }

    /// Serialises a ring to pretty-printed JSON.
    public static func encode(_ ring: KeyRing) -> Data {
        let document = Document(version: 1, keys: ring.entries.map { entry in
            Key(id: entry.id, secret: entry.secret.withUnsafeBytes { Base64.urlSafeEncode($0) }, notBefore: entry.notBefore, notAfter: entry.notAfter)
        })
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            // Whole seconds stay plain (2026-12-01T00:00:00Z); sub-second dates keep their fraction.
            let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
            var container = encoder.singleValueContainer()
            try container.encode(whole ? ISO8601DateFormatter().string(from: date) : ISO8601DateFormatter.withFractions.string(from: date))
        }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and dates cannot fail.
        return try! encoder.encode(document)
    }

    /// Reads a ring from a file.
    public static func load(path: String) throws(KeyError) -> KeyRing {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableRing(reason: "cannot read \(path)")
        }
        return try decode(data)
    }

    /// Reads a ring from ``environmentVariable`` (JSON text), or `nil` when
    /// the variable is not set.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(KeyError) -> KeyRing? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try decode(Data(text.utf8))
    }

    /// Writes a ring atomically with mode 0600 (owner read/write only).
    public static func save(_ ring: KeyRing, path: String) throws {
        try SecureFileWriter.write(encode(ring), to: path)
    }

    /// A new key id such as `k20261121-3fa9`: sortable by date, unique enough
    /// to add several keys a day.
    public static func newKeyID(at date: Date = Date()) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let stamp = String(format: "%04d%02d%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
        return "k\(stamp)-\(Hex.encode(SecureRandom.bytes(2)))"
    }
}

extension ISO8601DateFormatter {
    /// ISO 8601 with fractional seconds (`2026-12-01T00:00:00.250Z`).
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
