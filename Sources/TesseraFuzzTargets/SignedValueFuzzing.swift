import Foundation
import Tessera

/// Tessera's signed values.
enum SignedValueFuzzing {
    static let sampleValues = ["", "dave", "current_user=dave", String(repeating: "é", count: 300)]

    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        let token = String(decoding: input, as: UTF8.self)
        let verdict = fixtures.signed.verify(token, name: "session", maxAge: nil, now: FuzzFixtures.now)
        if case .valid(let verified) = verdict {
            // Every accepted token has one spelling: re-signing what it holds,
            // at its time, with its key, gives the very same characters.
            let codec = verified.keyID == "k1" ? fixtures.signedOldKey : fixtures.signed
            let again = try? codec.sign(verified.value, name: "session", now: verified.issuedAt ?? FuzzFixtures.now)
            FuzzCheck.require(again == token, "an accepted signed value is the signer's own spelling")
        }
        // A value signed for one name never verifies under another.
        if verdict.isValid {
            FuzzCheck.require(!fixtures.signed.verify(token, name: "sessioN", maxAge: nil, now: FuzzFixtures.now).isValid,
                              "a signed value is bound to its cookie name")
        }
        // Any bytes survive a sign and verify round trip.
        if input.count <= 4096, let signed = try? fixtures.signed.sign(input, name: "fuzz", now: FuzzFixtures.now) {
            let back = fixtures.signed.verify(signed, name: "fuzz", maxAge: 60, now: FuzzFixtures.now)
            FuzzCheck.require(back.value == input, "sign then verify gives the value back")
        }
    }

    static func samples(fixtures: FuzzFixtures) -> [[UInt8]] {
        sampleValues.flatMap { value in
            [fixtures.signed, fixtures.signedOldKey].compactMap { try? $0.sign(value, name: "session", now: FuzzFixtures.now) }
        }.map { Array($0.utf8) }
    }
}
