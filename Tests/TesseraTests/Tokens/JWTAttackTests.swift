import Crypto
import Foundation
import Testing
@testable import Tessera

/// The JWT rows of the security checklist (section 3 and ASVS V9), each
/// proved against ``JWTVerifier`` directly. `JWTCommandTests` drives the
/// same attacks through `tessera jwt verify`.
@Suite struct JWTAttackTests {
    let secret = SecureRandom.bytes(32)
    let clock = ManualWallClock(Date(timeIntervalSince1970: TimeInterval(JWTForge.now)))

    func verifier(
        _ keys: [JWTVerificationKey]? = nil, algorithms: Set<JWSAlgorithm> = [.hs256], issuer: String? = nil,
        audiences: Set<String> = [], type: String? = nil, leeway: TimeInterval = 0, maximumAge: TimeInterval? = nil
    ) async throws -> JWTVerifier {
        let chosen: [JWTVerificationKey]
        if let keys { chosen = keys } else { chosen = [try await JWTVerificationKey.hmac(SymmetricKey(data: secret), id: "k1")] }
        return try JWTVerifier(
            keys: JWTKeySet(chosen),
            policy: JWTVerificationPolicy(
                allowedAlgorithms: algorithms, issuer: issuer, audiences: audiences, requiredType: type, leeway: leeway, maximumAge: maximumAge),
            clock: clock)
    }

    func token(_ header: String = #"{"alg":"HS256","kid":"k1"}"#, _ payload: String = JWTForge.claims) -> String {
        JWTForge.hs256(header: header, payload: payload, key: secret)
    }

    func rejection(_ verifier: JWTVerifier, _ token: String) -> JWTVerificationError? {
        do {
            _ = try verifier.verify(token)
            return nil
        } catch {
            return error
        }
    }

    @Test func validTokenIsAccepted() async throws {
        let verified = try await verifier().verify(token())
        #expect(verified.subject == "alice")
        #expect(verified.keyID == "k1")
    }

    @Test func test_ASVS_9_1_1_flippedPayloadByteFailsSignature() async throws {
        let verifier = try await verifier()
        var parts = token().split(separator: ".").map(String.init)
        let payload = JWTForge.segment(#"{"sub":"mallory","iat":1800000000,"exp":1800000600}"#)
        parts[1] = payload
        #expect(rejection(verifier, parts.joined(separator: ".")) == .badSignature)
    }

    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func test_J_01_algNoneInAnySpellingIsRefused(_ spelling: String) async throws {
        let verifier = try await verifier()
        let header = #"{"alg":"\#(spelling)","kid":"k1"}"#
        #expect(rejection(verifier, JWTForge.unsigned(header: header, payload: JWTForge.claims)) == .unsigned)
        // Even with a signature attached, and even if none were "allowed" by name.
        #expect(rejection(verifier, JWTForge.hs256(header: header, payload: JWTForge.claims, key: secret)) == .unsigned)
        #expect(JWSAlgorithm(rawValue: spelling) == nil, "there is no none algorithm to allow")
    }

    @Test func test_ASVS_6_8_2_unsignedAssertionsAreRejected() async throws {
        let verifier = try await verifier()
        #expect(rejection(verifier, JWTForge.unsigned(header: #"{"alg":"HS256","kid":"k1"}"#, payload: JWTForge.claims)) == .unsigned)
    }

    @Test func test_J_02_algorithmOutsideAllowListIsRefusedEvenIfTheMACVerifies() async throws {
        let secret = SecureRandom.bytes(48)
        let key = try await JWTVerificationKey.hmac(SymmetricKey(data: secret), algorithm: .hs384, id: "k1")
        let token = JWTForge.hmac(SHA384.self, header: #"{"alg":"HS384","kid":"k1"}"#, payload: JWTForge.claims, key: secret)
        #expect(rejection(try await verifier([key], algorithms: [.hs384]), token) == nil, "the MAC itself is good")
        let verifier = try await verifier([key], algorithms: [.hs256])
        #expect(rejection(verifier, token) == .algorithmNotAllowed)
    }

    @Test func test_ASVS_9_1_2_algorithmAllowListAndNoneAndConfusion() async throws {
        let verifier = try await verifier()
        let hs512 = JWTForge.hmac(SHA512.self, header: #"{"alg":"HS512","kid":"k1"}"#, payload: JWTForge.claims, key: secret)
        #expect(rejection(verifier, hs512) == .algorithmNotAllowed)
        #expect(rejection(verifier, JWTForge.unsigned(header: #"{"alg":"none"}"#, payload: JWTForge.claims)) == .unsigned)
    }

    @Test func test_J_03_hmacWithTheRSAPublicKeyIsRefused() async throws {
        let pem = JWTForge.rsaPublicKeyPEM
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let key = try await JWTVerificationKey.publicKey(pem: pem, algorithm: .rs256, id: "rsa")
        let header = #"{"alg":"HS256","kid":"rsa"}"#
        let forged = JWTForge.hs256(header: header, payload: JWTForge.claims, key: Array(pem.utf8))
        // Refused whether or not the verifier's allow-list also names HS256: the key is bound to RS256.
        #expect(rejection(try await verifier([key], algorithms: [.rs256]), forged) == .algorithmNotAllowed)
        #expect(rejection(try await verifier([key], algorithms: [.rs256, .hs256]), forged) == .algorithmNotAllowed)
    }

    @Test func test_J_04_headerAlgorithmMustMatchTheKeysAlgorithm() async throws {
        let signing = P256.Signing.PrivateKey()
        let key = try await JWTVerificationKey.publicKey(pem: signing.publicKey.pemRepresentation, algorithm: .es256, id: "ec")
        let verifier = try await verifier([key], algorithms: [.es256, .es384, .hs256])
        let good = try JWTForge.es256(header: #"{"alg":"ES256","kid":"ec"}"#, payload: JWTForge.claims, key: signing)
        #expect(try verifier.verify(good).keyID == "ec")
        let es384 = try JWTForge.es256(header: #"{"alg":"ES384","kid":"ec"}"#, payload: JWTForge.claims, key: signing)
        #expect(rejection(verifier, es384) == .algorithmNotAllowed)
        let hs256 = JWTForge.hs256(header: #"{"alg":"HS256","kid":"ec"}"#, payload: JWTForge.claims, key: Array(signing.publicKey.rawRepresentation))
        #expect(rejection(verifier, hs256) == .algorithmNotAllowed)
    }

    @Test(arguments: ["../../../../dev/null", "' OR '1'='1", "k2", "", String(repeating: "k", count: 5000)])
    func test_J_05_kidInjectionIsJustAnUnknownKey(_ kid: String) async throws {
        let verifier = try await verifier()
        let token = token(#"{"alg":"HS256","kid":"\#(kid)"}"#)
        #expect([.unknownKey, .tooLarge].contains(rejection(verifier, token)))
    }

    @Test func test_J_05_noKidMatchesOnlyASingleKeySet() async throws {
        let one = try await verifier()
        #expect(try one.verify(token(#"{"alg":"HS256"}"#)).keyID == "k1")
        let two = try await verifier([
            .hmac(SymmetricKey(data: secret), id: "k1"), .hmac(SymmetricKey(data: SecureRandom.bytes(32)), id: "k2"),
        ])
        #expect(rejection(two, token(#"{"alg":"HS256"}"#)) == .unknownKey)
    }

    @Test func test_J_06_embeddedKeysAndKeyURLsAreRefused() async throws {
        let attacker = P256.Signing.PrivateKey()
        let jwk = #"{"kty":"EC","crv":"P-256","x":"\#(Base64.urlSafeEncode(Array(attacker.publicKey.rawRepresentation.prefix(32))))","y":"\#(Base64.urlSafeEncode(Array(attacker.publicKey.rawRepresentation.suffix(32))))"}"#
        let signing = P256.Signing.PrivateKey()
        let key = try await JWTVerificationKey.publicKey(pem: signing.publicKey.pemRepresentation, algorithm: .es256, id: "ec")
        let verifier = try await verifier([key], algorithms: [.es256])
        let embedded = try JWTForge.es256(header: #"{"alg":"ES256","kid":"ec","jwk":\#(jwk)}"#, payload: JWTForge.claims, key: attacker)
        #expect(rejection(verifier, embedded) == .embeddedKeyRefused)
        for member in [#""jku":"http://127.0.0.1/jwks.json""#, #""x5u":"http://127.0.0.1/cert.pem""#, #""x5c":["MIIB"]"#] {
            let token = try JWTForge.es256(header: #"{"alg":"ES256","kid":"ec",\#(member)}"#, payload: JWTForge.claims, key: signing)
            #expect(rejection(verifier, token) == .embeddedKeyRefused, "\(member)")
        }
    }

    @Test(arguments: [#"["foo"]"#, "[]", #"["alg"]"#, #"["b64"]"#, #"["exp"]"#])
    func test_J_07_critIsAlwaysRefused(_ crit: String) async throws {
        let verifier = try await verifier()
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1","crit":\#(crit)}"#)) == .unsupportedCriticalHeader)
    }

    @Test func test_J_08_expiryBoundariesAndTypes() async throws {
        let strict = try await verifier()
        let exp = JWTForge.now
        #expect(rejection(strict, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp)}"#)) == .expired, "clock = exp")
        #expect(rejection(strict, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp + 1)}"#)) == nil, "one second left")
        #expect(rejection(strict, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":"\#(exp + 60)"}"#)) == .invalidClaim("exp"))
        #expect(rejection(strict, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"sub":"alice"}"#)) == .missingClaim("exp"))
        let lenient = try await verifier(leeway: 60)
        #expect(rejection(lenient, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp - 59)}"#)) == nil)
        #expect(rejection(lenient, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp - 60)}"#)) == .expired)
        let defaults = JWTVerificationPolicy(allowedAlgorithms: [.hs256])
        #expect(defaults.leeway <= 60 && defaults.requiredClaims.contains("exp"))
        #expect(throws: JWTKeyError.self) { try JWTVerifier(keys: strict.keys, policy: .init(allowedAlgorithms: [.hs256], leeway: 3600)) }
    }

    @Test func test_ASVS_9_2_1_acceptedOnlyBetweenNotBeforeAndExpiry() async throws {
        let verifier = try await verifier(leeway: 60)
        let now = JWTForge.now
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now - 61)}"#)) == .expired)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"nbf":\#(now + 61)}"#)) == .notYetValid)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"nbf":\#(now + 60)}"#)) == nil)
    }

    @Test func test_J_09_notBefore() async throws {
        let verifier = try await verifier(leeway: 10)
        let now = JWTForge.now
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"nbf":\#(now + 11)}"#)) == .notYetValid)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"nbf":\#(now)}"#)) == nil)
    }

    @Test func test_J_10_issuedInTheFutureOrTooLongAgo() async throws {
        let now = JWTForge.now
        let verifier = try await verifier(leeway: 30, maximumAge: 3600)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 7200),"iat":\#(now + 3600)}"#)) == .issuedAtOutOfRange)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"iat":\#(now - 7200)}"#)) == .issuedAtOutOfRange)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now + 600),"iat":\#(now - 60)}"#)) == nil)
    }

    @Test func test_J_11_audienceMustNameUs() async throws {
        let verifier = try await verifier(audiences: ["us"])
        let exp = JWTForge.now + 600
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp),"aud":"other"}"#)) == .wrongAudience)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp)}"#)) == .wrongAudience)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp),"aud":["x","us"]}"#)) == nil)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(exp),"aud":["x",1]}"#)) == .invalidClaim("aud"))
    }

    @Test func test_ASVS_9_2_3_audienceAllowList() async throws {
        let open = try await verifier()
        #expect(rejection(open, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(JWTForge.now + 600),"aud":"us"}"#)) == .wrongAudience,
                "a token for some audience is refused where no audience is expected")
    }

    @Test func test_J_12_keyMustBelongToTheIssuer() async throws {
        let keyA = try await JWTVerificationKey.hmac(SymmetricKey(data: SecureRandom.bytes(32)), id: "a", issuer: "https://a.example")
        let secretB = SecureRandom.bytes(32)
        let keyB = try await JWTVerificationKey.hmac(SymmetricKey(data: secretB), id: "b", issuer: "https://b.example")
        let verifier = try await verifier([keyA, keyB])
        let exp = JWTForge.now + 600
        let claimsA = #"{"iss":"https://a.example","exp":\#(exp)}"#
        #expect(rejection(verifier, JWTForge.hs256(header: #"{"alg":"HS256","kid":"b"}"#, payload: claimsA, key: secretB)) == .wrongIssuer)
        let claimsB = #"{"iss":"https://b.example","exp":\#(exp)}"#
        #expect(rejection(verifier, JWTForge.hs256(header: #"{"alg":"HS256","kid":"b"}"#, payload: claimsB, key: secretB)) == nil)
        let pinned = try await self.verifier([keyA, keyB], issuer: "https://a.example")
        #expect(rejection(pinned, JWTForge.hs256(header: #"{"alg":"HS256","kid":"b"}"#, payload: claimsB, key: secretB)) == .wrongIssuer)
    }

    @Test func test_J_13_explicitTyping() async throws {
        let verifier = try await verifier(type: "at+jwt")
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#)) == .wrongType)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#)) == .wrongType)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1","typ":"at+jwt"}"#)) == nil)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1","typ":"application/AT+JWT"}"#)) == nil)
    }

    @Test func test_J_14_onlyCompactSerialization() async throws {
        let verifier = try await verifier()
        let good = token()
        let parts = good.split(separator: ".").map(String.init)
        let json = #"{"payload":"\#(parts[1])","protected":"\#(parts[0])","signature":"\#(parts[2])"}"#
        #expect(rejection(verifier, json) == .notCompactSerialization)
        #expect(rejection(verifier, parts[0] + "." + parts[1]) == .notCompactSerialization)
        #expect(rejection(verifier, good + ".") == .notCompactSerialization)
        #expect(rejection(verifier, good + "." + parts[2]) == .notCompactSerialization)
        #expect(rejection(verifier, "") == .notCompactSerialization)
    }

    @Test(arguments: ["=", "+", "/", " ", "\r\n"])
    func test_J_15_lenientBase64IsRefused(_ insert: String) async throws {
        let verifier = try await verifier()
        var parts = token().split(separator: ".").map(String.init)
        parts[2] = insert == "=" ? parts[2] + "=" : String(parts[2].dropLast(2)) + insert + String(parts[2].suffix(1))
        #expect(rejection(verifier, parts.joined(separator: ".")) == .malformedEncoding)
        var header = token().split(separator: ".").map(String.init)
        header[0] = String(header[0].prefix(4)) + insert + String(header[0].dropFirst(4))
        #expect(rejection(verifier, header.joined(separator: ".")) == .malformedEncoding)
    }

    @Test func test_J_15_emptySegmentsAreRefused() async throws {
        let verifier = try await verifier()
        let parts = token().split(separator: ".").map(String.init)
        #expect(rejection(verifier, "." + parts[1] + "." + parts[2]) == .notCompactSerialization)
        #expect(rejection(verifier, parts[0] + ".." + parts[2]) == .notCompactSerialization)
    }

    @Test func test_J_16_duplicateNamesAreRefused() async throws {
        let verifier = try await verifier()
        #expect(rejection(verifier, token(#"{"alg":"HS256","alg":"none","kid":"k1"}"#)) == .malformedHeader)
        #expect(rejection(verifier, token(#"{"alg":"HS256","kid":"k1"}"#, #"{"sub":"alice","sub":"admin","exp":1800000600}"#)) == .malformedClaims)
    }

    @Test func test_J_17_nonUTF8JSONIsRefused() async throws {
        let verifier = try await verifier()
        var utf16 = [UInt8]()
        for unit in #"{"alg":"HS256","kid":"k1"}"#.utf16 { utf16.append(UInt8(unit & 0xFF)); utf16.append(UInt8(unit >> 8)) }
        let payload = JWTForge.segment(JWTForge.claims)
        for header in [utf16, Array(#"{"alg":"HS256","kid":"k1","x":"\#u{FF}"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 }] {
            let input = Base64.urlSafeEncode(header) + "." + payload
            let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
            #expect(rejection(verifier, input + "." + Base64.urlSafeEncode(Array(mac))) == .malformedHeader)
        }
    }

    @Test func test_J_18_shortHMACKeysAreAConfigurationError() async throws {
        await #expect(throws: JWTKeyError.hmacKeyTooShort(algorithm: .hs256, minimumBytes: 32)) {
            try await JWTVerificationKey.hmac(SymmetricKey(data: SecureRandom.bytes(31)), id: "short")
        }
        await #expect(throws: JWTKeyError.hmacKeyTooShort(algorithm: .hs512, minimumBytes: 64)) {
            try await JWTVerificationKey.hmac(SymmetricKey(data: SecureRandom.bytes(32)), algorithm: .hs512, id: "short")
        }
        _ = try await JWTVerificationKey.hmac(SymmetricKey(data: SecureRandom.bytes(32)), id: "ok")
    }

    @Test func test_J_19_ecdsaSignaturesMustBeRawAndNonZero() async throws {
        let signing = P256.Signing.PrivateKey()
        let key = try await JWTVerificationKey.publicKey(pem: signing.publicKey.pemRepresentation, algorithm: .es256, id: "ec")
        let verifier = try await verifier([key], algorithms: [.es256])
        let header = #"{"alg":"ES256","kid":"ec"}"#
        #expect(rejection(verifier, try JWTForge.es256(header: header, payload: JWTForge.claims, key: signing)) == nil)
        #expect(rejection(verifier, try JWTForge.es256(header: header, payload: JWTForge.claims, key: signing, der: true)) == .badSignature)
        let zero = JWTForge.segment(header) + "." + JWTForge.segment(JWTForge.claims) + "." + Base64.urlSafeEncode([UInt8](repeating: 0, count: 64))
        #expect(rejection(verifier, zero) == .badSignature, "CVE-2022-21449 psychic signature")
    }

    @Test func test_J_20_macComparisonRejectsEveryPositionOfDifference() async throws {
        let verifier = try await verifier()
        let parts = token().split(separator: ".").map(String.init)
        let mac = Base64.decode(parts[2]) ?? []
        for index in [0, mac.count / 2, mac.count - 1] {
            var forged = mac
            forged[index] ^= 0x01
            #expect(rejection(verifier, parts[0] + "." + parts[1] + "." + Base64.urlSafeEncode(forged)) == .badSignature)
        }
    }

    @Test func test_J_21_fiveSegmentJWEIsRefused() async throws {
        let verifier = try await verifier()
        let jwe = JWTForge.segment(#"{"alg":"dir","enc":"A256GCM"}"#) + "..aaaa.bbbb.cccc"
        #expect(rejection(verifier, jwe) == .notCompactSerialization)
    }

    @Test func test_J_22_hugeTokensAreRefusedBeforeDecoding() async throws {
        let verifier = try await verifier()
        let huge = String(repeating: "A", count: JWTVerifier.maximumTokenBytes) + ".e30.sig"
        #expect(rejection(verifier, huge) == .tooLarge)
        let padded = token(#"{"alg":"HS256","kid":"k1","pad":"\#(String(repeating: "x", count: 7000))"}"#)
        #expect(padded.utf8.count > JWTVerifier.maximumTokenBytes)
        #expect(rejection(verifier, padded) == .tooLarge)
    }

    @Test func test_J_23_claimsComeOnlyFromVerify() async throws {
        let verifier = try await verifier()
        var parts = token().split(separator: ".").map(String.init)
        parts[1] = JWTForge.segment(#"{"sub":"admin","exp":1800000600}"#)
        // A failed verify yields an error that carries no claim and no token text.
        let error = rejection(verifier, parts.joined(separator: "."))
        #expect(error == .badSignature)
        #expect(!(error?.description.contains("admin") ?? true))
        #expect(!(error?.description.contains(parts[1]) ?? true))
    }

    @Test func test_J_25_rfc7515AppendixA1KnownAnswer() async throws {
        let jwk = #"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let keys = try await JWTKeySet.parse(jwkJSON: jwk)
        let policy = JWTVerificationPolicy(allowedAlgorithms: [.hs256], leeway: 0)
        let before = try JWTVerifier(keys: keys, policy: policy, clock: ManualWallClock(Date(timeIntervalSince1970: 1_300_819_379)))
        #expect(try before.verify(token).issuer == "joe")
        #expect(throws: JWTVerificationError.expired) { try JWTVerifier(keys: keys, policy: policy).verify(token) }
        var bytes = Array(token.utf8)
        bytes[bytes.count - 5] = bytes[bytes.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: JWTVerificationError.self) { try before.verify(bytes) }
    }
}
