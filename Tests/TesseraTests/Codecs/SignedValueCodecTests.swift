import Foundation
import Testing
@testable import Tessera

@Suite struct SignedValueCodecTests {
    let ring = TestKeys.ring("k1")
    var codec: SignedValueCodec { SignedValueCodec(ring: ring, purpose: KeyPurpose("user")) }
    let now = TestKeys.epoch

    @Test func roundTripsTextAndBytes() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        #expect(token.hasPrefix("S1.k1.\(Int(now.timeIntervalSince1970))."))
        guard case .valid(let verified) = codec.verifyString(token, name: "user", maxAge: 60, now: now) else {
            Issue.record("token did not verify"); return
        }
        #expect(verified.value == "dave")
        #expect(verified.keyID == "k1")
        #expect(verified.issuedAt == now)
        let binary: [UInt8] = [0, 1, 2, 255, 254, 0x22, 0x3B]
        #expect(codec.verify(try codec.sign(binary, name: "b", now: now), name: "b", maxAge: nil, now: now).value == binary)
        #expect(codec.verify(try codec.sign([UInt8](), name: "b", now: now), name: "b", maxAge: nil, now: now).value == [])
    }

    @Test func tokensAreValidCookieValues() throws {
        let token = try codec.sign(Array(repeating: 0xFF, count: 100), name: "user", now: now)
        #expect(throws: Never.self) { try SetCookie(name: "user", value: token).validate() }
    }

    /// The seed's `current_user=dave` question: editing the value breaks the MAC.
    @Test func test_ASVS_9_1_1_forgedValueIsRejected() throws {
        let token = try codec.sign("dave", name: "current_user", now: now)
        var fields = token.split(separator: ".").map(String.init)
        fields[3] = Base64.urlSafeEncode(Array("admin".utf8))
        #expect(codec.verify(fields.joined(separator: "."), name: "current_user", maxAge: nil, now: now).summary == "bad signature")
        #expect(codec.verify("dave", name: "current_user", maxAge: nil, now: now).summary == "malformed")
    }

    /// F-02/F-05: a value signed for one cookie never verifies as another.
    @Test func test_F_05_nameSwapIsRejected() throws {
        let token = try codec.sign("42", name: "user_id", now: now)
        #expect(codec.verify(token, name: "discount_percentage", maxAge: nil, now: now).summary == "bad signature")
        // Tornado v1's boundary shift: "sess" + "ion1…" must not pass as "session1".
        let shifted = try codec.sign("ion1", name: "sess", now: now)
        #expect(!codec.verify(shifted, name: "session1", maxAge: nil, now: now).isValid)
    }

    @Test func purposeIsBoundThroughTheDerivedKey() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        let other = SignedValueCodec(ring: ring, purpose: KeyPurpose("remember-me"))
        #expect(other.verify(token, name: "user", maxAge: nil, now: now).summary == "bad signature")
    }

    /// ASVS-7.2.1: validity comes only from the MAC-protected timestamp.
    @Test func test_ASVS_7_2_1_expiryComesFromTheSignedTimestamp() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        #expect(codec.verify(token, name: "user", maxAge: 3600, now: now.addingTimeInterval(3600)).isValid)
        guard case .expired(let issued) = codec.verify(token, name: "user", maxAge: 3600, now: now.addingTimeInterval(3601)) else {
            Issue.record("expected expired"); return
        }
        #expect(issued == now)
        // Moving the timestamp forward to extend the life breaks the MAC.
        var fields = token.split(separator: ".").map(String.init)
        fields[2] = String(Int(now.timeIntervalSince1970) + 3000)
        #expect(codec.verify(fields.joined(separator: "."), name: "user", maxAge: 3600, now: now.addingTimeInterval(3601)).summary == "bad signature")
    }

    @Test func futureIssueTimesBeyondTheSkewAreNotYetValid() throws {
        let token = try codec.sign("dave", name: "user", now: now.addingTimeInterval(120))
        #expect(codec.verify(token, name: "user", maxAge: nil, now: now.addingTimeInterval(61)).isValid)
        #expect(codec.verify(token, name: "user", maxAge: nil, now: now).summary == "not yet valid")
    }

    /// ASVS-11.2.2: a token made with an old key verifies (and says which key) until the key is removed.
    @Test func test_ASVS_11_2_2_rotationKeepsOldTokensUntilTheKeyIsRemoved() throws {
        let old = try codec.sign("dave", name: "user", now: now)
        let rotated = try KeyRing([ring.entries[0], KeyRing.Entry(id: "k2", secret: TestKeys.secret(9))])
        let rotatedCodec = SignedValueCodec(ring: rotated, purpose: KeyPurpose("user"))
        guard case .valid(let verified) = rotatedCodec.verify(old, name: "user", maxAge: nil, now: now) else {
            Issue.record("old token rejected after rotation"); return
        }
        #expect(verified.keyID == "k1")
        #expect(try rotatedCodec.sign("dave", name: "user", now: now).hasPrefix("S1.k2."))
        let retired = SignedValueCodec(ring: try KeyRing([rotated.entries[1]]), purpose: KeyPurpose("user"))
        #expect(retired.verify(old, name: "user", maxAge: nil, now: now).summary == "unknown key")
    }

    @Test func sameKeyIDWithAnotherSecretIsABadSignature() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        let impostor = SignedValueCodec(ring: TestKeys.ring("k1", seedBase: 50), purpose: KeyPurpose("user"))
        #expect(impostor.verify(token, name: "user", maxAge: nil, now: now).summary == "bad signature")
    }

    @Test func nonCanonicalSpellingsAreMalformed() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        let fields = token.split(separator: ".").map(String.init)
        func with(_ index: Int, _ replacement: String) -> String {
            var copy = fields
            copy[index] = replacement
            return copy.joined(separator: ".")
        }
        #expect(codec.verify(with(0, "S2"), name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify(with(2, "0" + fields[2]), name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify(with(4, fields[4] + "="), name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify(with(1, "bad id!"), name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify(with(1, "k9"), name: "user", maxAge: nil, now: now).summary == "unknown key")
        #expect(codec.verify(token + ".", name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify("", name: "user", maxAge: nil, now: now).summary == "malformed")
        #expect(codec.verify(String(repeating: "A", count: 10_000), name: "user", maxAge: nil, now: now).summary == "malformed")
    }

    /// ASVS-11.4.3: signing tags are full 256-bit HMAC-SHA256 outputs.
    @Test func test_ASVS_11_4_3_tagsAreNotTruncated() throws {
        let token = try codec.sign("dave", name: "user", now: now)
        let tag = Base64.decode(String(token.split(separator: ".")[4]))
        #expect(tag?.count == 32)
    }

    @Test func noActiveKeyIsAnError() throws {
        let expiredRing = try KeyRing([KeyRing.Entry(id: "k1", secret: TestKeys.secret(1), notAfter: now.addingTimeInterval(-1))])
        let codec = SignedValueCodec(ring: expiredRing, purpose: KeyPurpose("user"))
        #expect(throws: KeyError.noActiveKey) { try codec.sign("dave", name: "user", now: now) }
    }
}
