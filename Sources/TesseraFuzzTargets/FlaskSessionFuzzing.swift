import Foundation
import Tessera

/// Flask's session cookie (itsdangerous URL-safe timed serializer).
enum FlaskSessionFuzzing {
    static func run(_ input: [UInt8], fixtures: FuzzFixtures) {
        let cookie = String(decoding: input, as: UTF8.self)
        let verdict = fixtures.flask.decode(cookie, maxAge: nil, now: FuzzFixtures.now)
        if verdict.isValid {
            // A session that reads is authentic whatever the salt's spelling:
            // the same bytes under another secret must not read.
            FuzzCheck.require(!FlaskSessionCookie(secretKey: "another secret").decode(cookie, maxAge: nil, now: FuzzFixtures.now).isValid,
                              "a Flask session is bound to its secret")
        }
    }
}
