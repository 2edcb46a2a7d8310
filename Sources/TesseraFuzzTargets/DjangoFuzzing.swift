import Foundation
import Tessera

/// Django's signed cookies (current and legacy salt) and signed-cookie sessions.
enum DjangoFuzzing {
    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        let token = String(decoding: input, as: UTF8.self)
        let verdict = fixtures.djangoCookie.verify(token, name: "session", salt: "", maxAge: nil, now: FuzzFixtures.now)
        if case .valid(let verified) = verdict, let issuedAt = verified.issuedAt {
            // An accepted cookie is what Django's signer writes, under the
            // current salt or the legacy one.
            let timestamp = Int64(issuedAt.timeIntervalSince1970)
            let spellings = [fixtures.djangoCookie.sign(verified.value, name: "session", timestamp: timestamp),
                             fixtures.djangoCookie.signLegacy(verified.value, name: "session", timestamp: timestamp)]
            FuzzCheck.require(spellings.contains(token), "an accepted Django cookie is the signer's own spelling")
        }
        _ = fixtures.djangoSession.decode(token, maxAge: nil, now: FuzzFixtures.now)
    }

    static func samples(fixtures: FuzzFixtures) -> [[UInt8]] {
        ["hello", "current_user=dave"].flatMap { value in
            [fixtures.djangoCookie.sign(value, name: "session", timestamp: 1_719_000_000),
             fixtures.djangoCookie.signLegacy(value, name: "session", timestamp: 1_719_000_000)]
        }.map { Array($0.utf8) }
    }
}
