import Foundation
@testable import Tessera

/// One vector of `interop-vectors/` (schema version 1), read with Tessera's
/// own order-keeping JSON parser so JSON values compare exactly.
struct InteropVector {
    let fields: JSONValue

    var id: String { fields["id"]?.stringValue ?? "?" }
    var expect: String { fields["expect"]?.stringValue ?? "" }
    var isLenient: Bool { fields["lenient"] == .bool(true) }
    var isRegenerable: Bool { fields["regenerable"] == .bool(true) }

    func string(_ key: String) -> String? { fields[key]?.stringValue }

    /// A `signing_*` override, else the shared field.
    func signing(_ key: String) -> String? { string("signing_" + key) ?? string(key) }

    func number(_ key: String) -> Double? {
        switch fields[key] {
        case .integer(let digits)?: return Double(digits)
        case .double(let value)?: return value
        default: return nil
        }
    }

    func integer(_ key: String) -> Int64? { number(key).map { Int64($0) } }

    var now: Date { Date(timeIntervalSince1970: number("now") ?? 0) }
    var maxAge: TimeInterval? { number("max_age") }

    /// The verifier's secrets, oldest first (`[*fallback_secrets, secret]`).
    var secretsOldestFirst: [[UInt8]] {
        fallbacks.map { Array($0.utf8) } + [Array((string("secret") ?? "").utf8)]
    }

    var fallbacks: [String] {
        guard case .array(let items)? = fields["fallback_secrets"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// The signer's secrets: only `signing_secret` when present.
    var signingSecretsOldestFirst: [[UInt8]] {
        if let secret = string("signing_secret") { return [Array(secret.utf8)] }
        return secretsOldestFirst
    }

    /// The token as raw bytes (`token_encoding: base64` marks non-UTF-8 tokens).
    var tokenBytes: [UInt8] {
        let token = string("token") ?? ""
        if string("token_encoding") == "base64" { return Base64.decode(token, .pythonStandardLenient) ?? [] }
        return Array(token.utf8)
    }

    var token: String { string("token") ?? "" }

    /// The plaintext as bytes, for `utf8` and `base64` encodings.
    var valueBytes: [UInt8]? {
        switch string("value_encoding") {
        case "utf8": return string("value").map { Array($0.utf8) }
        case "base64": return string("value").flatMap { Base64.decode($0, .pythonStandardLenient) }
        default: return nil
        }
    }

    var jsonValue: JSONValue? { fields["value"] }
}
