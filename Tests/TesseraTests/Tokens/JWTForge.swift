import Crypto
import Foundation
@testable import Tessera

/// Builds tokens by hand, the way an attacker would: any header, any
/// payload, any signature bytes.
enum JWTForge {
    static func segment(_ json: String) -> String { Base64.urlSafeEncode(Array(json.utf8)) }

    static func hmac<H: HashFunction>(_ hash: H.Type, header: String, payload: String, key: [UInt8]) -> String {
        let input = segment(header) + "." + segment(payload)
        let mac = HMAC<H>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: key))
        return input + "." + Base64.urlSafeEncode(Array(mac))
    }

    static func hs256(header: String, payload: String, key: [UInt8]) -> String {
        hmac(SHA256.self, header: header, payload: payload, key: key)
    }

    static func es256(header: String, payload: String, key: P256.Signing.PrivateKey, der: Bool = false) throws -> String {
        let input = segment(header) + "." + segment(payload)
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64.urlSafeEncode(Array(der ? signature.derRepresentation : signature.rawRepresentation))
    }

    static func unsigned(header: String, payload: String, signature: String = "") -> String {
        segment(header) + "." + segment(payload) + "." + signature
    }

    /// The RS256 public key of the PyJWT vectors.
    static let rsaPublicKeyPEM: String = {
        let url = Fixtures.interopDirectory.appendingPathComponent("jwt_rs256.json")
        guard let data = try? Data(contentsOf: url), let document = try? JSONParser.parse(Array(data)),
              case .array(let vectors)? = document["vectors"], let pem = vectors.first?["public_key_pem"]?.stringValue
        else { return "" }
        return pem
    }()

    /// The fixed time the tests run at, and claims valid at it.
    static let now: Int64 = 1_800_000_000
    static let claims = #"{"sub":"alice","iat":1800000000,"exp":1800000600}"#
}
