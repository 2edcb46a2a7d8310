import Foundation
import Tessera

/// Tessera's sealed (AEAD) values.
enum SealedValueFuzzing {
    static let sampleValues = ["", "user=42", String(repeating: "session data ", count: 40)]

    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        let token = String(decoding: input, as: UTF8.self)
        let verdict = fixtures.sealed.open(token, name: "session", maxAge: nil, now: FuzzFixtures.now)
        if verdict.isValid {
            // Only tokens this process sealed can open: anything else that
            // opens is a forgery or a second spelling of a real token.
            FuzzCheck.require(fixtures.sealedSamples.contains(token), "only a token the sealer made opens")
            FuzzCheck.require(!fixtures.sealed.open(token, name: "other", maxAge: nil, now: FuzzFixtures.now).isValid,
                              "a sealed value is bound to its cookie name")
        }
        // Any bytes survive a seal and open round trip.
        if input.count <= 4096, let sealed = try? fixtures.sealed.seal(input, name: "fuzz", now: FuzzFixtures.now) {
            let back = fixtures.sealed.open(sealed, name: "fuzz", maxAge: 60, now: FuzzFixtures.now)
            FuzzCheck.require(back.value == input, "seal then open gives the value back")
        }
    }

    static func samples(fixtures: FuzzFixtures) -> [[UInt8]] {
        fixtures.sealedSamples.map { Array($0.utf8) }
    }
}
