import Crypto
import Foundation
import Tessera

/// JWT verification.
enum JWTFuzzing {
    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        guard let verified = try? fixtures.jwtVerifier.verify(input) else { return }
        // An accepted token is HS256 under the one key, its signature the
        // canonical base64url of the MAC, checked here without jwt-kit.
        let text = String(decoding: input, as: UTF8.self)
        FuzzCheck.require(verified.algorithm == .hs256, "only the key's bound algorithm verifies")
        guard let lastDot = text.lastIndex(of: ".") else { return FuzzCheck.require(false, "an accepted token has three parts") }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(text[..<lastDot].utf8), using: fixtures.jwtSecret)
        FuzzCheck.require(Base64.urlSafeEncode(Array(mac)) == String(text[text.index(after: lastDot)...]),
                          "an accepted signature is the canonical base64url of the MAC")
    }

    static func samples(fixtures: FuzzFixtures) -> [[UInt8]] {
        let claims: [JSONValue] = [
            .object([("sub", .string("dave")), ("iat", .integer("1721000000")), ("exp", .integer("1721003600"))]),
            .object([("sub", .string("42")), ("nbf", .integer("1721000000"))]),
        ]
        return claims.compactMap { try? fixtures.jwtSigner.sign($0) }.map { Array($0.utf8) }
    }
}
