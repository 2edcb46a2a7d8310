import Foundation
import Testing
@testable import Tessera

@Suite struct SealedValueCodecTests {
    let ring = TestKeys.ring("k1")
    let now = TestKeys.epoch

    func codec(_ algorithm: SealedValueCodec.Algorithm = .aes256GCM, compression: SealedValueCodec.Compression = .never,
               limit: Int = 64 * 1024) -> SealedValueCodec {
        SealedValueCodec(ring: ring, purpose: KeyPurpose("session"), algorithm: algorithm, compression: compression, maximumPlaintextBytes: limit)
    }

    @Test(arguments: SealedValueCodec.Algorithm.allCases)
    func roundTripsAndHidesTheValue(_ algorithm: SealedValueCodec.Algorithm) throws {
        let secret = #"{"cart":[1,2,3],"card_last4":"4242"}"#
        let token = try codec(algorithm).seal(secret, name: "session", now: now)
        #expect(token.hasPrefix("E1.k1.\(Int(now.timeIntervalSince1970)).\(algorithm.rawValue)."))
        #expect(!token.contains("4242"))
        #expect(!token.contains(Base64.urlSafeEncode(Array(secret.utf8)).prefix(12)))
        #expect(codec(algorithm).openString(token, name: "session", maxAge: 60, now: now).value == secret)
        // A codec of the other algorithm reads it too: the token names its AEAD.
        let other: SealedValueCodec.Algorithm = algorithm == .aes256GCM ? .chaCha20Poly1305 : .aes256GCM
        #expect(codec(other).openString(token, name: "session", maxAge: 60, now: now).value == secret)
    }

    @Test func sealingTwiceGivesDifferentTokens() throws {
        let first = try codec().seal("same", name: "s", now: now)
        let second = try codec().seal("same", name: "s", now: now)
        #expect(first != second)
    }

    @Test func nameAndPurposeAreAuthenticated() throws {
        let token = try codec().seal("42", name: "user_id", now: now)
        #expect(codec().open(token, name: "discount", maxAge: nil, now: now).summary == "bad signature")
        let otherPurpose = SealedValueCodec(ring: ring, purpose: KeyPurpose("other"))
        #expect(otherPurpose.open(token, name: "user_id", maxAge: nil, now: now).summary == "bad signature")
    }

    @Test func headerFieldsAreAuthenticated() throws {
        let token = try codec().seal("42", name: "s", now: now)
        var fields = token.split(separator: ".").map(String.init)
        fields[2] = String(Int(now.timeIntervalSince1970) + 100)
        #expect(codec().open(fields.joined(separator: "."), name: "s", maxAge: nil, now: now).summary == "bad signature")
        fields = token.split(separator: ".").map(String.init)
        fields[3] = "c"
        #expect(codec().open(fields.joined(separator: "."), name: "s", maxAge: nil, now: now).summary == "bad signature")
        fields[3] = "gz"
        #expect(codec().open(fields.joined(separator: "."), name: "s", maxAge: nil, now: now).summary == "bad signature")
        fields[3] = "x"
        #expect(codec().open(fields.joined(separator: "."), name: "s", maxAge: nil, now: now).summary == "malformed")
    }

    /// ASVS-11.3.3: flipping any single bit of nonce, ciphertext or tag fails.
    @Test func test_ASVS_11_3_3_everyBitFlipIsRejected() throws {
        let token = try codec().seal("a 200-byte payload would do just as well", name: "s", now: now)
        let fields = token.split(separator: ".").map(String.init)
        let combined = try #require(Base64.decode(fields[4]))
        for bit in 0..<(combined.count * 8) {
            var flipped = combined
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            let forged = fields[0...3].joined(separator: ".") + "." + Base64.urlSafeEncode(flipped)
            let verdict = codec().open(forged, name: "s", maxAge: nil, now: now)
            #expect(verdict.summary == "bad signature", "bit \(bit) flip accepted")
        }
    }

    /// ASVS-11.3.4: random 96-bit nonces do not repeat (200 000 seals here;
    /// the DocC note caps a key at 2^32 seals).
    @Test func test_ASVS_11_3_4_noncesAreUnique() throws {
        let codec = codec()
        var nonces = Set<[UInt8]>()
        for _ in 0..<200_000 {
            let token = try codec.seal([1], name: "s", now: now)
            let combined = Base64.decode(String(token.split(separator: ".")[4]))!
            nonces.insert(Array(combined.prefix(12)))
        }
        #expect(nonces.count == 200_000)
    }

    @Test func compressionShrinksRepetitiveValuesAndRoundTrips() throws {
        let value = String(repeating: "session-data ", count: 300)
        let compressed = try codec(compression: .whenSmaller).seal(value, name: "s", now: now)
        let plain = try codec().seal(value, name: "s", now: now)
        #expect(compressed.split(separator: ".")[3] == "gz")
        #expect(compressed.utf8.count < plain.utf8.count / 4)
        #expect(codec().openString(compressed, name: "s", maxAge: nil, now: now).value == value)
        // Incompressible values are sealed as they are.
        let random = SecureRandom.bytes(64)
        #expect(try codec(compression: .whenSmaller).seal(random, name: "s", now: now).split(separator: ".")[3] == "g")
    }

    @Test func inflatedSizeIsCapped() throws {
        let bomb = [UInt8](repeating: 0x41, count: 60_000)
        let token = try codec(compression: .whenSmaller).seal(bomb, name: "s", now: now)
        #expect(token.utf8.count < 1000)
        #expect(codec(limit: 10_000).open(token, name: "s", maxAge: nil, now: now).summary == "malformed")
        #expect(codec().open(token, name: "s", maxAge: nil, now: now).value == bomb)
        #expect(throws: SealError.tooLarge(byteCount: 60_000, limit: 10_000)) {
            try codec(limit: 10_000).seal(bomb, name: "s", now: now)
        }
    }

    @Test func expiryAndRotation() throws {
        let token = try codec().seal("v", name: "s", now: now)
        #expect(codec().open(token, name: "s", maxAge: 10, now: now.addingTimeInterval(11)).summary == "expired")
        let rotated = SealedValueCodec(ring: try KeyRing([KeyRing.Entry(id: "k2", secret: TestKeys.secret(7)), ring.entries[0]]),
                                       purpose: KeyPurpose("session"))
        #expect(rotated.open(token, name: "s", maxAge: nil, now: now).isValid)
        let withoutOld = SealedValueCodec(ring: TestKeys.ring("k2", seedBase: 7), purpose: KeyPurpose("session"))
        #expect(withoutOld.open(token, name: "s", maxAge: nil, now: now).summary == "unknown key")
    }

    /// Sealed values too big for one cookie travel in chunks and come back whole.
    @Test func largeSealedValuesChunkAndJoin() throws {
        let value = Base64.urlSafeEncode(SecureRandom.bytes(9000))
        let token = try codec().seal(value, name: "__Host-session", now: now)
        let chunker = CookieChunker()
        let cookies = try chunker.cookies(name: "__Host-session", value: token, template: SetCookie(name: "x", value: ""), request: RequestCookies(header: ""))
        #expect(cookies.count == 4)
        for cookie in cookies { #expect(throws: Never.self) { try cookie.validate() } }
        let header = cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        let joined = chunker.values(name: "__Host-session", request: RequestCookies(header: header))
        #expect(joined.count == 1)
        #expect(codec().openString(joined[0], name: "__Host-session", maxAge: nil, now: now).value == value)
        // Parts swapped between two sealed values fail authentication.
        let otherToken = try codec().seal(Base64.urlSafeEncode(SecureRandom.bytes(9000)), name: "__Host-session", now: now)
        let otherCookies = try chunker.cookies(name: "__Host-session", value: otherToken, template: SetCookie(name: "x", value: ""), request: RequestCookies(header: ""))
        let mixed = [cookies[0], otherCookies[1], cookies[2], cookies[3]].map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        let mixedValue = chunker.values(name: "__Host-session", request: RequestCookies(header: mixed))
        #expect(mixedValue.count == 1)
        #expect(codec().open(mixedValue[0], name: "__Host-session", maxAge: nil, now: now).summary == "bad signature")
    }
}
