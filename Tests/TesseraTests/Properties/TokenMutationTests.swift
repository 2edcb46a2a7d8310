import Foundation
import Testing
@testable import Tessera

/// Mutates every byte of many valid tokens, per format, and checks that each
/// mutation is either rejected or decodes to exactly the original meaning
/// (a lenient base64 spelling may do that). Random garbage is rejected; for
/// Tessera's own formats it is reported as malformed. Nothing may crash.
///
/// `TESSERA_MUTATION_TOKENS` sets the tokens per format (default 1000).
@Suite struct TokenMutationTests {
    /// A format under test: makes a token with its meaning, and reads one back.
    struct Subject: Sendable, CustomStringConvertible {
        let description: String
        let make: @Sendable (inout TestRandom) -> (token: [UInt8], meaning: [UInt8])
        /// The meaning of an accepted token, or nil when rejected. CSRF
        /// formats check the token against the cookie of the expected meaning.
        let read: @Sendable (_ token: [UInt8], _ expected: [UInt8]) -> [UInt8]?
        /// For Tessera's own formats: the verdict word for garbage input.
        let garbageVerdict: (@Sendable ([UInt8]) -> String)?
    }

    static var tokensPerFormat: Int {
        ProcessInfo.processInfo.environment["TESSERA_MUTATION_TOKENS"].flatMap(Int.init) ?? 1000
    }

    static let now = TestKeys.epoch
    static let secret = "mutation-test-secret-0123456789abcdef"
    /// Canonical JSON bytes: the meaning of a JSON payload, whatever key order a format writes.
    static let json = JSONWriter(sortKeys: true, ensureASCII: true)

    static func randomBytes(_ random: inout TestRandom, maximum: Int = 48) -> [UInt8] {
        SecureRandom.bytes(Int(random.next() % UInt64(maximum + 1)), using: &random)
    }

    static func randomText(_ random: inout TestRandom) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_:.|=/+é✓".unicodeScalars)
        let count = Int(random.next() % 24)
        return String(String.UnicodeScalarView((0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
    }

    static func randomJSON(_ random: inout TestRandom) -> JSONValue {
        .object([
            ("user", .string(randomText(&random))),
            ("id", .integer(String(random.next() % 100_000))),
            ("admin", .bool(random.next() % 2 == 0)),
            ("tags", .array([.string(randomText(&random)), .null])),
        ])
    }

    static let subjects: [Subject] = {
        let ring = TestKeys.ring("k1", "k2")
        let signed = SignedValueCodec(ring: ring, purpose: KeyPurpose("p"))
        let sealed = SealedValueCodec(ring: ring, purpose: KeyPurpose("p"), compression: .whenSmaller)
        let tornado = TornadoSignedValue(secret: secret)
        let itsSigner = ItsDangerousSigner(secrets: [Array(secret.utf8)])!
        let itsSerializer = ItsDangerousSerializer(secrets: [Array(secret.utf8)])!
        let flask = FlaskSessionCookie(secretKey: secret)
        let djangoSigner = DjangoSigner(key: Array(secret.utf8))!
        let djangoTimed = DjangoSigner(key: Array(secret.utf8), timestamped: true)!
        let djangoSigning = DjangoSigning(key: Array(secret.utf8))!
        let djangoSession = DjangoSessionCookie(secretKey: secret)
        let djangoCookie = DjangoSignedCookie(secretKey: secret)
        let timestamp = Int64(now.timeIntervalSince1970)
        @Sendable func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

        return [
            Subject(description: "tessera-signed",
                    make: { random in let value = randomBytes(&random); return (Array(try! signed.sign(value, name: "n", now: now).utf8), value) },
                    read: { token, _ in signed.verify(text(token), name: "n", maxAge: 3600, now: now).value },
                    garbageVerdict: { signed.verify(text($0), name: "n", maxAge: nil, now: now).summary }),
            Subject(description: "tessera-sealed",
                    make: { random in let value = randomBytes(&random); return (Array(try! sealed.seal(value, name: "n", now: now).utf8), value) },
                    read: { token, _ in sealed.open(text(token), name: "n", maxAge: 3600, now: now).value },
                    garbageVerdict: { sealed.open(text($0), name: "n", maxAge: nil, now: now).summary }),
            Subject(description: "tornado-signed-value-v2",
                    make: { random in let value = randomBytes(&random); return (Array(tornado.sign(value, name: "n", timestamp: timestamp)!.utf8), value) },
                    read: { token, _ in tornado.verify(text(token), name: "n", now: now).value },
                    garbageVerdict: nil),
            Subject(description: "tornado-signed-value-v1",
                    make: { random in
                        let value = randomBytes(&random)
                        let encoded = Base64.standardEncode(value), time = String(timestamp)
                        let mac = Hex.encode(PythonDigest.sha1.hmac(key: Array(secret.utf8), message: Array(("n" + encoded + time).utf8)))
                        return (Array("\(encoded)|\(time)|\(mac)".utf8), value)
                    },
                    read: { token, _ in tornado.verify(text(token), name: "n", now: now).value },
                    garbageVerdict: nil),
            Subject(description: "tornado-xsrf",
                    make: { random in
                        let raw = SecureRandom.bytes(16, using: &random), mask = SecureRandom.bytes(4, using: &random)
                        return (Array(TornadoXSRFToken.make(rawToken: raw, mask: mask, timestamp: timestamp)!.utf8), raw)
                    },
                    read: { token, raw in
                        // The cookie holds the expected raw bytes under another mask.
                        let cookie = TornadoXSRFToken.make(rawToken: raw, mask: [9, 9, 9, 9], timestamp: 1)
                        return TornadoXSRFToken.check(cookie: cookie, token: text(token)) ? TornadoXSRFToken.decode(text(token)) : nil
                    },
                    garbageVerdict: nil),
            Subject(description: "itsdangerous-signer",
                    make: { random in let value = randomBytes(&random); return (itsSigner.sign(value), value) },
                    read: { token, _ in itsSigner.unsign(token).value },
                    garbageVerdict: nil),
            Subject(description: "itsdangerous-timestamp-signer",
                    make: { random in let value = randomBytes(&random); return (itsSigner.signWithTimestamp(value, timestamp: timestamp), value) },
                    read: { token, _ in itsSigner.unsignWithTimestamp(token, maxAge: 3600, now: now).value },
                    garbageVerdict: nil),
            Subject(description: "itsdangerous-urlsafe-timed-serializer",
                    make: { random in let value = randomJSON(&random); return (Array(itsSerializer.dumps(value, timestamp: timestamp).utf8), json.bytes(value)) },
                    read: { token, _ in itsSerializer.loads(text(token), maxAge: 3600, now: now).value.map(json.bytes) },
                    garbageVerdict: nil),
            Subject(description: "flask-session",
                    make: { random in let value = randomJSON(&random); return (Array(flask.encode(value, timestamp: timestamp).utf8), json.bytes(value)) },
                    read: { token, _ in flask.decode(text(token), now: now).value.map(json.bytes) },
                    garbageVerdict: nil),
            Subject(description: "django-signer",
                    make: { random in let value = randomText(&random); return (Array(djangoSigner.sign(value).utf8), Array(value.utf8)) },
                    read: { token, _ in djangoSigner.unsign(text(token)).value.map { Array($0.utf8) } },
                    garbageVerdict: nil),
            Subject(description: "django-timestamp-signer",
                    make: { random in let value = randomText(&random); return (Array(djangoTimed.sign(value, timestamp: timestamp).utf8), Array(value.utf8)) },
                    read: { token, _ in djangoTimed.unsignWithTimestamp(text(token), maxAge: 3600, now: now).value.map { Array($0.utf8) } },
                    garbageVerdict: nil),
            Subject(description: "django-signing-dumps",
                    make: { random in
                        let value = randomJSON(&random)
                        return (Array(djangoSigning.dumps(value, compress: random.next() % 2 == 0, timestamp: timestamp).utf8), json.bytes(value))
                    },
                    read: { token, _ in djangoSigning.loads(text(token), maxAge: 3600, now: now).value.map(json.bytes) },
                    garbageVerdict: nil),
            Subject(description: "django-session-signed-cookies",
                    make: { random in let value = randomJSON(&random); return (Array(djangoSession.encode(value, timestamp: timestamp).utf8), json.bytes(value)) },
                    read: { token, _ in djangoSession.decode(text(token), now: now).value.map(json.bytes) },
                    garbageVerdict: nil),
            Subject(description: "django-signed-cookie",
                    make: { random in
                        let value = randomText(&random)
                        return (Array(djangoCookie.sign(value, name: "n", salt: "s", timestamp: timestamp).utf8), Array(value.utf8))
                    },
                    read: { token, _ in djangoCookie.verify(text(token), name: "n", salt: "s", maxAge: 3600, now: now).value.map { Array($0.utf8) } },
                    garbageVerdict: nil),
            Subject(description: "django-csrf",
                    make: { random in
                        let secret = DjangoCSRFToken.generateSecret()
                        let mask = String(decoding: SecureRandom.bytes(32, using: &random).map { DjangoCSRFToken.alphabet[Int($0 % 62)] }, as: UTF8.self)
                        return (Array(DjangoCSRFToken.mask(secret: secret, mask: mask)!.utf8), Array(secret.utf8))
                    },
                    read: { token, secret in
                        DjangoCSRFToken.check(cookie: text(secret), token: text(token)) ? DjangoCSRFToken.unmask(token) : nil
                    },
                    garbageVerdict: nil),
        ]
    }()

    @Test(arguments: subjects)
    func everySingleByteMutationIsRejectedOrMeansTheSame(_ subject: Subject) {
        var random = TestRandom(seed: UInt64(subject.description.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        var mutations = 0, accepted = 0
        for _ in 0..<Self.tokensPerFormat {
            let (token, meaning) = subject.make(&random)
            guard subject.read(token, meaning) == meaning else {
                Issue.record("\(subject): a freshly made token did not read back")
                return
            }
            for position in token.indices {
                var mutated = token
                var replacement = UInt8(truncatingIfNeeded: random.next() % 95 + 0x21)
                if random.next() % 16 == 0 { replacement = UInt8(truncatingIfNeeded: random.next()) }
                if replacement == token[position] { replacement = replacement == 0x7E ? 0x21 : replacement + 1 }
                mutated[position] = replacement
                mutations += 1
                if let read = subject.read(mutated, meaning) {
                    accepted += 1
                    if read != meaning {
                        Issue.record("\(subject): byte \(position) changed and the token read as a different value")
                        return
                    }
                }
            }
        }
        print("mutation \(subject): \(Self.tokensPerFormat) tokens, \(mutations) single-byte mutations, \(accepted) accepted with the original meaning")
        #expect(mutations > Self.tokensPerFormat * 10)
    }

    @Test(arguments: subjects)
    func randomGarbageIsRejected(_ subject: Subject) {
        var random = TestRandom(seed: 99)
        for _ in 0..<2000 {
            var garbage = SecureRandom.bytes(Int(random.next() % 200), using: &random)
            if random.next() % 2 == 0 { garbage = garbage.map { 0x21 + $0 % 94 } }
            let expected = SecureRandom.bytes(16, using: &random).map { DjangoCSRFToken.alphabet[Int($0 % 62)] }
            #expect(subject.read(garbage, expected) == nil)
            if let verdict = subject.garbageVerdict {
                #expect(verdict(garbage) == "malformed")
            }
        }
    }
}
