import Crypto
import Foundation
import Tessera

/// The measured operations: Tessera's codecs and the raw swift-crypto calls
/// over the same bytes.
struct BenchmarkSuite {
    let ring: KeyRing
    let signed: SignedValueCodec
    let sealed: SealedValueCodec
    let sealedChaCha: SealedValueCodec
    let tornado = TornadoSignedValue(secret: "bench-secret-bench-secret-bench-secret")
    /// A 200-byte JSON session payload.
    let payload: [UInt8]
    let now = Date()

    init() {
        ring = try! KeyRing(single: .generate(), id: "bench")
        signed = SignedValueCodec(ring: ring, purpose: KeyPurpose("bench"))
        sealed = SealedValueCodec(ring: ring, purpose: KeyPurpose("bench"))
        sealedChaCha = SealedValueCodec(ring: ring, purpose: KeyPurpose("bench"), algorithm: .chaCha20Poly1305)
        // A typical session: who, roles, a CSRF secret, a few preferences;
        // the "pad" field brings it to exactly 200 bytes.
        let head = #"{"user":"dave","roles":["reader","writer"],"csrf":"b3c1f0e2a9d84c67","cart":[1042,2210],"theme":"dark","lang":"en-GB","seen":1763750000,"pad":""#
        let tail = #""}"#
        payload = Array((head + String(repeating: "x", count: 200 - head.utf8.count - tail.utf8.count) + tail).utf8)
        precondition(payload.count == 200)
    }

    func pairs() -> [Benchmark.Pair] {
        let name = "session"
        let key = SymmetricKey(size: .bits256)

        // Signed values: the raw baseline MACs the same bytes a token covers.
        let signedToken = try! signed.sign(payload, name: name, now: now)
        let signedMessage = Array(signedToken.utf8)
        let rawMAC = HMAC<SHA256>.authenticationCode(for: signedMessage, using: key)

        // Sealed values: the raw baseline seals the same 200 bytes with AES-GCM / ChaChaPoly.
        let sealedToken = try! sealed.seal(payload, name: name, now: now)
        let chachaToken = try! sealedChaCha.seal(payload, name: name, now: now)
        let aad = Array("associated-data-of-similar-size-1234567890".utf8)
        let rawBox = try! AES.GCM.seal(payload, using: key, authenticating: aad)
        let rawChaChaBox = try! ChaChaPoly.seal(payload, using: key, authenticating: aad)

        let tornadoToken = tornado.sign(payload, name: name, timestamp: Int64(now.timeIntervalSince1970))!

        return [
            .init(name: "signed_sign", baselineName: "raw_hmac_sha256_mac",
                  operation: { (try? signed.sign(payload, name: name, now: now))?.utf8.count ?? 0 },
                  baseline: { HMAC<SHA256>.authenticationCode(for: signedMessage, using: key).byteCount }),
            .init(name: "signed_verify", baselineName: "raw_hmac_sha256_verify",
                  operation: { signed.verify(signedToken, name: name, maxAge: 3600, now: now).value?.count ?? 0 },
                  baseline: { HMAC<SHA256>.isValidAuthenticationCode(rawMAC, authenticating: signedMessage, using: key) ? 1 : 0 }),
            .init(name: "sealed_seal", baselineName: "raw_aes_gcm_seal",
                  operation: { (try? sealed.seal(payload, name: name, now: now))?.utf8.count ?? 0 },
                  baseline: { (try? AES.GCM.seal(payload, using: key, authenticating: aad))?.ciphertext.count ?? 0 }),
            .init(name: "sealed_open", baselineName: "raw_aes_gcm_open",
                  operation: { sealed.open(sealedToken, name: name, maxAge: 3600, now: now).value?.count ?? 0 },
                  baseline: { (try? AES.GCM.open(rawBox, using: key, authenticating: aad))?.count ?? 0 }),
            .init(name: "sealed_open_chacha20poly1305", baselineName: "raw_chachapoly_open",
                  operation: { sealedChaCha.open(chachaToken, name: name, maxAge: 3600, now: now).value?.count ?? 0 },
                  baseline: { (try? ChaChaPoly.open(rawChaChaBox, using: key, authenticating: aad))?.count ?? 0 }),
            .init(name: "tornado_v2_verify", baselineName: "raw_hmac_sha256_verify",
                  operation: { tornado.verify(tornadoToken, name: name, now: now).value?.count ?? 0 },
                  baseline: { HMAC<SHA256>.isValidAuthenticationCode(rawMAC, authenticating: signedMessage, using: key) ? 1 : 0 }),
        ]
    }
}
