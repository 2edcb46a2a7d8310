import Foundation

/// Tornado's signed cookies (`RequestHandler.set_signed_cookie` /
/// `get_signed_cookie`): reads versions 1 and 2, writes version 2.
///
/// ```
/// v1: B64(value) "|" ts "|" hex(HMAC-SHA1(secret, name ‖ B64(value) ‖ ts))
/// v2: "2|" f(key_version) "|" f(ts) "|" f(name) "|" f(B64(value)) "|" hex(HMAC-SHA256)
///     where f(x) = len(x) ":" x
/// ```
///
/// Version 1 has no delimiters in its MAC input, so digits can move between
/// value and timestamp and characters between name and value; Tornado's two
/// extra checks (no timestamp more than 31 days ahead, none starting with `0`)
/// are kept, but prefer `minVersion: 2` once old cookies have expired.
/// Length prefixes are parsed strictly (Tornado's `int()` would also take
/// `012`, which it never writes).
public struct TornadoSignedValue: Sendable {
    /// Tornado's `cookie_secret`: one string, or a dict of key versions.
    public enum Secret: Sendable {
        case single([UInt8])
        case versioned([Int: [UInt8]])
    }

    /// `cookie_secret`.
    public let secret: Secret
    /// The key version written into new v2 cookies (`key_version`).
    public let signingKeyVersion: Int

    /// A reader and writer for a `cookie_secret`, signing with `signingKeyVersion`.
    public init(secret: Secret, signingKeyVersion: Int = 0) {
        self.secret = secret
        self.signingKeyVersion = signingKeyVersion
    }

    /// A single-secret instance, as `cookie_secret="..."` configures Tornado.
    public init(secret: String) {
        self.init(secret: .single(Array(secret.utf8)))
    }

    // MARK: Writing

    /// Signs `value` as a version 2 cookie for `name` at Unix time `timestamp`.
    /// - Returns: `nil` when the secret is versioned and has no key for ``signingKeyVersion``.
    public func sign<Bytes: Collection>(_ value: Bytes, name: String, timestamp: Int64) -> String? where Bytes.Element == UInt8 {
        let key: [UInt8]
        switch secret {
        case .single(let bytes): key = bytes
        case .versioned(let keys):
            guard let bytes = keys[signingKeyVersion] else { return nil }
            key = bytes
        }
        func field(_ text: String, length: Int) -> String { "\(length):\(text)" }
        let encoded = Base64.standardEncode(value)
        let version = String(signingKeyVersion)
        let time = String(timestamp)
        // Tornado measures the name in code points (a quirk kept for byte-identical output).
        let signed = "2|" + field(version, length: version.count) + "|" + field(time, length: time.count) + "|"
            + field(name, length: name.unicodeScalars.count) + "|" + field(encoded, length: encoded.utf8.count) + "|"
        return signed + Hex.encode(PythonDigest.sha256.hmac(key: key, message: Array(signed.utf8)))
    }

    // MARK: Reading

    /// Verifies a cookie value as `get_signed_cookie(name, max_age_days=…, min_version=…)` does.
    public func verify(_ token: String, name: String, maxAgeDays: Double = 31, minVersion: Int = 1, now: Date = Date()) -> Verdict<[UInt8]> {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty, bytes.count <= 16 * 1024 else { return .malformed }
        let version = Self.version(of: bytes)
        guard version >= minVersion else { return .malformed }
        let nowSeconds = now.timeIntervalSince1970
        switch version {
        case 1: return verifyV1(bytes, name: name, maxAgeDays: maxAgeDays, now: nowSeconds)
        case 2: return verifyV2(bytes, name: name, maxAgeDays: maxAgeDays, now: nowSeconds)
        default: return .malformed
        }
    }

    /// Tornado's `_get_version`: the number of a `^([1-9][0-9]*)\|(.*)$`
    /// prefix when it is at most 999, else 1.
    static func version(of bytes: [UInt8]) -> Int {
        guard let number = versionPrefix(of: bytes), number <= 999 else { return 1 }
        return number
    }

    /// The number that `^([1-9][0-9]*)\|(.*)$` captures, or `nil` when the
    /// pattern does not match (`Int.max` for a number too long to hold).
    /// `.` does not match a newline, and `$` may match before a final one.
    static func versionPrefix(of bytes: [UInt8]) -> Int? {
        guard let bar = bytes.firstIndex(of: UInt8(ascii: "|")), bar > 0, bytes[0] != UInt8(ascii: "0"),
              bytes[0..<bar].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        if let newline = bytes[(bar + 1)...].firstIndex(of: 0x0A), newline != bytes.count - 1 { return nil }
        return Int(String(decoding: bytes[0..<bar], as: UTF8.self)) ?? Int.max
    }

    private func verifyV1(_ bytes: [UInt8], name: String, maxAgeDays: Double, now: TimeInterval) -> Verdict<[UInt8]> {
        guard case .single(let key) = secret else { return .malformed }  // Tornado asserts here.
        let parts = bytes.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .malformed }
        var message = Array(name.utf8)
        message.append(contentsOf: parts[0])
        message.append(contentsOf: parts[1])
        let expected = Array(Hex.encode(PythonDigest.sha1.hmac(key: key, message: message)).utf8)
        guard constantTimeEquals(parts[2], expected) else { return .badSignature }
        guard let timestamp = PythonInt.parse(parts[1]) else { return .malformed }
        let issued = Date(timeIntervalSince1970: TimeInterval(timestamp))
        if Double(timestamp) < now - maxAgeDays * 86_400 { return .expired(issuedAt: issued) }
        if Double(timestamp) > now + 31 * 86_400 { return .notYetValid(issuedAt: issued) }
        if parts[1].first == UInt8(ascii: "0") { return .malformed }
        guard let value = Base64.decode(parts[0], .pythonStandardLenient) else { return .malformed }
        return .valid(Verified(value: value, issuedAt: issued, keyID: nil))
    }

    private func verifyV2(_ bytes: [UInt8], name: String, maxAgeDays: Double, now: TimeInterval) -> Verdict<[UInt8]> {
        var rest = bytes[2...]
        func consumeField() -> ArraySlice<UInt8>? {
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
                  let length = PythonInt.parseCanonical(rest[rest.startIndex..<colon]) else { return nil }
            let start = colon + 1
            guard length <= rest.endIndex - start - 1 else { return nil }
            let end = start + Int(length)
            guard rest[end] == UInt8(ascii: "|") else { return nil }
            rest = rest[(end + 1)...]
            return bytes[start..<end]
        }
        guard let keyVersionField = consumeField(), let timestampField = consumeField(),
              let nameField = consumeField(), let valueField = consumeField(),
              let keyVersion = PythonInt.parseCanonical(keyVersionField) else { return .malformed }
        let signature = rest
        let signed = bytes[..<signature.startIndex]
        let key: [UInt8]
        switch secret {
        case .single(let bytes): key = bytes
        case .versioned(let keys):
            guard let bytes = keys[Int(keyVersion)] else { return .unknownKey }
            key = bytes
        }
        let expected = Array(Hex.encode(PythonDigest.sha256.hmac(key: key, message: signed)).utf8)
        guard constantTimeEquals(signature, expected) else { return .badSignature }
        guard nameField.elementsEqual(name.utf8) else { return .badSignature }
        guard let timestamp = PythonInt.parse(timestampField) else { return .malformed }
        let issued = Date(timeIntervalSince1970: TimeInterval(timestamp))
        if Double(timestamp) < now - maxAgeDays * 86_400 { return .expired(issuedAt: issued) }
        guard let value = Base64.decode(valueField, .pythonStandardLenient) else { return .malformed }
        return .valid(Verified(value: value, issuedAt: issued, keyID: String(keyVersion)))
    }
}
