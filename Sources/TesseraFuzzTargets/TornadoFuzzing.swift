import Foundation
import Tessera

/// Tornado's signed values (v1 and v2) and XSRF tokens.
enum TornadoFuzzing {
    static let now = Date(timeIntervalSince1970: 1_703_000_000)

    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        let token = String(decoding: input, as: UTF8.self)
        let verdict = fixtures.tornado.verify(token, name: "session", maxAgeDays: 1_000_000, now: now)
        if case .valid(let verified) = verdict, let keyVersion = keyVersion(ofV2: token), let issuedAt = verified.issuedAt {
            // Version 2 has one spelling: re-signing gives the same token. (With
            // a single secret Tornado reads any key version, so sign with the
            // token's own.)
            let signer = TornadoSignedValue(secret: .single(Array(FuzzFixtures.interopSecret.utf8)), signingKeyVersion: keyVersion)
            let again = signer.sign(verified.value, name: "session", timestamp: Int64(issuedAt.timeIntervalSince1970))
            FuzzCheck.require(again == token, "an accepted v2 value is the signer's own spelling")
        }
        if let mask = TornadoXSRFToken.decode(token) {
            FuzzCheck.require(mask.count <= token.utf8.count, "an XSRF token decodes to no more bytes than it has")
        }
    }

    /// The key version of a `2|LEN:VERSION|…` token.
    static func keyVersion(ofV2 token: String) -> Int? {
        let fields = token.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "2", let colon = fields[1].firstIndex(of: ":") else { return nil }
        return Int(fields[1][fields[1].index(after: colon)...])
    }

    static func samples(fixtures: FuzzFixtures) -> [[UInt8]] {
        ["hello", "", "current_user=dave"].compactMap { fixtures.tornado.sign(Array($0.utf8), name: "session", timestamp: 1_703_000_000) }
            .map { Array($0.utf8) }
    }
}
