import Foundation
import Testing
@testable import Tessera

/// Known answers from the frameworks' own test suites, beside the vector files.
@Suite struct CompatKnownAnswerTests {
    /// F-05: Tornado's SignedValueTest values at clock 1300000000.
    @Test func test_F_05_tornadoKnownValues() {
        let tornado = TornadoSignedValue(secret: "It's a secret to everybody")
        let now = Date(timeIntervalSince1970: 1_300_000_000)
        let v2 = "2|1:0|10:1300000000|3:key|8:dmFsdWU=|3d4e60b996ff9c5d5788e333a0cba6f238a22c6c0f94788870e1a9ecd482e152"
        #expect(tornado.sign(Array("value".utf8), name: "key", timestamp: 1_300_000_000) == v2)
        #expect(tornado.verify(v2, name: "key", now: now).value == Array("value".utf8))
        let v1 = "dmFsdWU=|1300000000|31c934969f53e48164c50768b40cbd7e2daaaa4f"
        #expect(tornado.verify(v1, name: "key", now: now).value == Array("value".utf8))
        #expect(!tornado.verify(v1, name: "key", minVersion: 2, now: now).isValid)
        // Name swap and expiry (signed 32 days before).
        #expect(!tornado.verify(v2, name: "key2", now: now).isValid)
        #expect(tornado.verify(v2, name: "key", now: now.addingTimeInterval(32 * 86_400)).summary == "expired")
        // Removing the key version from a versioned secret rejects the cookie.
        let versioned = TornadoSignedValue(secret: .versioned([1: Array("other".utf8)]), signingKeyVersion: 1)
        #expect(versioned.verify(v2, name: "key", now: now).summary == "unknown key")
    }

    /// V-09: Django's signing tests.
    @Test func test_V_09_djangoKnownSignatures() {
        let signer = DjangoSigner(key: Array("predictable-secret".utf8))!
        #expect(signer.sign("foo") == "foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0")
        let binaryKey = DjangoSigner(key: [0xE7])!
        #expect(binaryKey.sign("foo") == "foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU")
        // F-01 tamper transforms.
        let token = signer.sign("hello")
        for forged in [token.uppercased(), token + "x", "j" + token.dropFirst(), token.replacingOccurrences(of: ":", with: "")] {
            #expect(!signer.unsign(forged).isValid, "\(forged)")
        }
        // Invalid separators are refused, as Django raises ValueError.
        for separator in ["", "-", "abc"] {
            #expect(DjangoSigner(key: Array("k".utf8), separator: separator) == nil)
        }
    }

    @Test func djangoTimestampSignerMaxAge() {
        let signer = DjangoSigner(key: Array("predictable-key".utf8), timestamped: true)!
        let token = signer.sign("value", timestamp: 123_456_789)
        let now = Date(timeIntervalSince1970: 123_456_800)
        #expect(signer.unsignWithTimestamp(token, maxAge: 12, now: now).value == "value")
        #expect(signer.unsignWithTimestamp(token, maxAge: 10, now: now).summary == "expired")
    }

    @Test func djangoCSRFMaskRoundTrip() {
        let secret = DjangoCSRFToken.generateSecret()
        #expect(secret.utf8.count == 32)
        let masked = DjangoCSRFToken.mask(secret: secret, mask: DjangoCSRFToken.generateSecret())!
        #expect(DjangoCSRFToken.check(cookie: secret, token: masked))
        #expect(DjangoCSRFToken.check(cookie: secret, token: secret))
        #expect(!DjangoCSRFToken.check(cookie: secret, token: DjangoCSRFToken.generateSecret()))
        #expect(!DjangoCSRFToken.check(cookie: nil, token: masked))
    }

    @Test func flaskSessionRoundTripKeepsTags() throws {
        let flask = FlaskSessionCookie(secretKey: "dev-secret")
        let session = try JSONParser.parse(#"{"_user_id":"7","_flashes":[{" t":["message","Saved ✓"]}]}"#)
        let cookie = flask.encode(session, timestamp: 1_711_500_000)
        #expect(cookie.hasPrefix("eyJ") || cookie.hasPrefix("."))
        #expect(flask.decode(cookie, now: Date(timeIntervalSince1970: 1_711_500_060)).value == session)
        #expect(flask.decode(cookie, now: Date(timeIntervalSince1970: 1_711_500_060 + 31 * 86_400)).summary == "expired")
        #expect(FlaskSessionCookie(secretKey: "other").decode(cookie, now: Date(timeIntervalSince1970: 1_711_500_060)).summary == "bad signature")
    }
}
