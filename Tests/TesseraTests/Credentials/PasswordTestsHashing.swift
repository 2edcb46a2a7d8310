import Foundation
import NIOPosix
import Testing
@testable import Tessera

/// `PasswordHasher`: hashing, verification, rehash rules, equal work,
/// length guards, normalisation and the thread pool.
@Suite("Credentials: PasswordHasher")
struct PasswordHasherTests {
    typealias Vectors = PasswordVectors
    typealias Support = PasswordTestSupport

    // MARK: - Own format

    @Test func test_CS_P7_hashThenVerify() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        let stored = try await hasher.hash("correct horse battery staple")
        #expect(stored.hasPrefix("$scrypt$ln=10,r=1,p=1$"))
        guard case .scrypt(_, let salt, let hash) = try PasswordHash(parsing: stored) else {
            Issue.record("not scrypt")
            return
        }
        #expect(salt.count == 16 && hash.count == 32)
        #expect(try await hasher.verify("correct horse battery staple", against: stored) == .match(needsRehash: false))
        #expect(try await hasher.verify("correct horse battery stapl", against: stored) == .mismatch)
        // Two hashes of one password differ (fresh salt each time).
        #expect(try await hasher.hash("correct horse battery staple") != stored)
        #expect(kdf.count == 4)
    }

    /// With the salt fixed, our writer produces exactly the string Python's
    /// `hashlib.scrypt` gives (see ``PasswordVectors/tesseraTiny``).
    @Test func test_CS_P7_hashMatchesIndependentImplementation() async throws {
        let hasher = Support.hasher(parameters: Support.pythonVector, random: Support.countingRandom)
        #expect(try await hasher.hash(Vectors.tesseraTinyPassword) == Vectors.tesseraTiny)
        #expect(try await hasher.verify(Vectors.tesseraTinyPassword, against: Vectors.tesseraTiny) == .match(needsRehash: false))
    }

    // MARK: - Known answers (RFC 7914 §12)

    @Test func test_V_rfc7914Vector1ThroughKDF() throws {
        // N=16 is below what the stored format accepts, so it goes straight
        // to the KDF seam with unchecked parameters.
        let derived = try StandardPasswordKDF().scrypt(
            password: [], salt: [], parameters: ScryptParameters(uncheckedLogN: 4, blockSize: 1, parallelism: 1), outputByteCount: 64)
        #expect(derived == Support.hex(
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"))
    }

    @Test func test_V_rfc7914Vector2ThroughStoredFormat() async throws {
        let hasher = Support.hasher()
        // Not Tessera's current parameters nor salt/hash sizes: a match that needs a rehash.
        #expect(try await hasher.verify("password", against: Vectors.rfc7914Vector2) == .match(needsRehash: true))
        #expect(try await hasher.verify("Password", against: Vectors.rfc7914Vector2) == .mismatch)
        guard case .scrypt(_, _, let hash) = try PasswordHash(parsing: Vectors.rfc7914Vector2) else {
            Issue.record("not scrypt")
            return
        }
        #expect(hash == Support.hex(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"))
    }

    /// N=2^14 (16 MiB): about a second in a debug build, so opt-in
    /// (`TESSERA_SLOW_PASSWORD_TESTS=1`).
    @Test(.enabled(if: Support.slowTestsEnabled))
    func test_V_rfc7914Vector3ThroughStoredFormat() async throws {
        #expect(try await Support.hasher().verify("pleaseletmein", against: Vectors.rfc7914Vector3) == .match(needsRehash: true))
    }

    // MARK: - Legacy formats

    @Test func test_CS_P4_djangoHashesVerifyAndAlwaysNeedRehash() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        #expect(try await hasher.verify(Vectors.django1000Password, against: Vectors.django1000) == .match(needsRehash: true))
        #expect(try await hasher.verify("django-user-pasS", against: Vectors.django1000) == .mismatch)
        #expect(try await hasher.verify("salted-pass", against: Vectors.djangoUnicodeSalt) == .match(needsRehash: true))
        // Under OWASP's 600 000: needs a rehash (CS-P4's row) …
        #expect(try await hasher.verify(Vectors.django310000Password, against: Vectors.django310000) == .match(needsRehash: true))
        // … and at 600 000 too: every Django hash migrates to scrypt. (The
        // hasher's answer on a match is this same function; verifying the
        // 600 000-round hash itself is in the slow test below.)
        #expect(try PasswordHash(parsing: Vectors.django600000).needsRehash(comparedTo: Support.tiny))
        #expect(try PasswordHash(parsing: Vectors.django600000).needsRehash(comparedTo: .recommended))
        #expect(kdf.kinds == [.pbkdf2SHA256(iterations: 1000), .pbkdf2SHA256(iterations: 1000), .pbkdf2SHA256(iterations: 1000),
                              .pbkdf2SHA256(iterations: 310_000)])
    }

    /// 600 000 PBKDF2 rounds: about a second in a debug build, so opt-in
    /// (`TESSERA_SLOW_PASSWORD_TESTS=1`).
    @Test(.enabled(if: Support.slowTestsEnabled))
    func test_CS_P4_django600000RoundsStillMigrates() async throws {
        let hasher = Support.hasher()
        #expect(try await hasher.verify(Vectors.django600000Password, against: Vectors.django600000) == .match(needsRehash: true))
        #expect(try await hasher.verify("legacy-600k-pasS", against: Vectors.django600000) == .mismatch)
    }

    @Test func test_CS_P3_bcryptHashesVerifyAndNeedRehash() async throws {
        let hasher = Support.hasher()
        let cases = [(Vectors.bcrypt2a, Vectors.bcrypt2aPassword), (Vectors.bcrypt2b, Vectors.bcrypt2bPassword),
                     (Vectors.bcrypt2y, Vectors.bcrypt2yPassword), (Vectors.bcrypt72, Vectors.bcrypt72Password)]
        for (stored, password) in cases {
            #expect(try await hasher.verify(password, against: stored) == .match(needsRehash: true), "\(stored.prefix(7))")
            #expect(try await hasher.verify(String(password.dropLast()) + "!", against: stored) == .mismatch, "\(stored.prefix(7))")
            #expect(try await hasher.verify(password.uppercased(), against: stored) == .mismatch, "\(stored.prefix(7))")
        }
        // Cost 9, below OWASP's 10: needs a rehash (every bcrypt hash does).
        #expect(try await hasher.verify(Vectors.bcrypt2yCost9Password, against: Vectors.bcrypt2yCost9) == .match(needsRehash: true))
        #expect(try PasswordHash(parsing: Vectors.bcrypt2yCost9).needsRehash(comparedTo: .recommended))
    }

    @Test func test_CS_P3_bcryptRejectsOver72Bytes() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        // 73 bytes whose first 72 are the stored password: plain bcrypt
        // would say "match". Tessera refuses instead.
        let over = Vectors.bcrypt72Password + "!"
        #expect(over.utf8.count == 73)
        await #expect(throws: PasswordError.tooLongForBcrypt) {
            _ = try await hasher.verify(over, against: Vectors.bcrypt72)
        }
        // Multi-byte: 24 "€" are 72 bytes (allowed), 25 are 75 (refused).
        await #expect(throws: PasswordError.tooLongForBcrypt) {
            _ = try await hasher.verify(String(repeating: "€", count: 25), against: Vectors.bcrypt2b)
        }
        #expect(try await hasher.verify(String(repeating: "€", count: 24), against: Vectors.bcrypt2b) == .mismatch)
        // A NUL would end the C string early: refused too.
        await #expect(throws: PasswordError.nulCharacterForBcrypt) {
            _ = try await hasher.verify(Vectors.bcrypt2bPassword + "\u{0}tail", against: Vectors.bcrypt2b)
        }
        // The bcrypt code never saw the refused passwords; each refusal
        // cost one dummy scrypt derivation instead.
        #expect(kdf.kinds == [.scrypt(Support.tiny), .scrypt(Support.tiny), .bcrypt(cost: 4), .scrypt(Support.tiny)])
        // The same 73 bytes are fine for scrypt (no 72-byte limit there).
        let stored = try await hasher.hash(over)
        #expect(try await hasher.verify(over, against: stored) == .match(needsRehash: false))
        #expect(try await hasher.verify(Vectors.bcrypt72Password, against: stored) == .mismatch)
    }

    @Test func test_CS_P3_bcryptCostAboveLimitIsNotRun() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        // A well-formed cost-31 hash would keep a pool thread busy for days.
        let hostile = "$2b$31$" + Vectors.bcrypt2b.dropFirst(7)
        await #expect(throws: PasswordError.parametersOutOfRange) {
            _ = try await hasher.verify(Vectors.bcrypt2bPassword, against: hostile)
        }
        #expect(kdf.kinds == [.scrypt(Support.tiny)])
        #expect(hasher.maximumBcryptCost == 16)
    }

    // MARK: - Defaults and rehash rules

    @Test func test_CS_P2_defaultIsScryptN2p17r8p1() async throws {
        #expect(ScryptParameters.recommended.logN == 17)
        #expect(ScryptParameters.recommended.costN == 131_072)
        #expect(ScryptParameters.recommended.blockSize == 8)
        #expect(ScryptParameters.recommended.parallelism == 1)
        // The default hasher writes those parameters into the stored string.
        // The KDF here does no work: the real cost is measured in CS-P9.
        let kdf = CountingPasswordKDF(ZeroPasswordKDF())
        let hasher = PasswordHasher(kdf: kdf)
        #expect(hasher.parameters == .recommended)
        let stored = try await hasher.hash("any password at all")
        #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        guard case .scrypt(let parameters, _, _) = try PasswordHash(parsing: stored) else {
            Issue.record("not scrypt")
            return
        }
        #expect(parameters.costN == 1 << 17 && parameters.blockSize == 8 && parameters.parallelism == 1)
        #expect(kdf.kinds == [.scrypt(.recommended)])
    }

    @Test func test_ASVS_11_4_2_weakerParametersNeedRehash() async throws {
        let old = Support.hasher(parameters: Support.tiny)
        let current = Support.hasher(parameters: Support.tinyNext)
        let stored = try await old.hash("tuned password kdf")
        #expect(try await old.verify("tuned password kdf", against: stored) == .match(needsRehash: false))
        #expect(try await current.verify("tuned password kdf", against: stored) == .match(needsRehash: true))

        // Parsing alone: anything but the current parameters needs a rehash.
        let tail = "$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0"
        for parameters in ["ln=16,r=8,p=1", "ln=17,r=4,p=1", "ln=14,r=8,p=5", "ln=18,r=8,p=1"] {
            #expect(try PasswordHash(parsing: "$scrypt$\(parameters)\(tail)").needsRehash(comparedTo: .recommended), "\(parameters)")
        }
        #expect(try !PasswordHash(parsing: "$scrypt$ln=17,r=8,p=1\(tail)").needsRehash(comparedTo: .recommended))
    }

    /// CS-P1 asks for Argon2id (m=19456, t=2, p=1). swift-crypto has no
    /// Argon2id, so Tessera uses OWASP's listed alternative, scrypt at
    /// CS-P2's parameters. The analogue of "weaker params → needsRehash" is
    /// checked here, and Argon2 strings fail closed until a verifier exists.
    @Test func test_CS_P1_scryptAnalogueOfArgon2idRehash() async throws {
        let weak = try PasswordHash(parsing: "$scrypt$ln=12,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0")
        #expect(weak.needsRehash(comparedTo: .recommended))
        #expect(throws: PasswordError.unsupportedScheme) {
            try PasswordHash(parsing: "$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA")
        }
    }

    @Test func test_CS_P6_rehashOnlyOnSuccessfulLogin() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)

        // Right password, legacy hash: a replacement in the current scheme.
        let outcome = try await hasher.verifyAndRehash(Vectors.django1000Password, against: Vectors.django1000)
        guard case .match(let replacement?) = outcome else {
            Issue.record("expected a replacement, got \(outcome)")
            return
        }
        #expect(replacement.hasPrefix("$scrypt$ln=10,r=1,p=1$"))
        #expect(try await hasher.verify(Vectors.django1000Password, against: replacement) == .match(needsRehash: false))
        #expect(try await hasher.verifyAndRehash(Vectors.django1000Password, against: replacement) == .match(replacement: nil))

        // bcrypt too.
        guard case .match(let fromBcrypt?) = try await hasher.verifyAndRehash(Vectors.bcrypt2yPassword, against: Vectors.bcrypt2y) else {
            Issue.record("expected a replacement")
            return
        }
        #expect(try await hasher.verify(Vectors.bcrypt2yPassword, against: fromBcrypt) == .match(needsRehash: false))

        // Wrong password: a plain mismatch, no rehash information, nothing hashed.
        kdf.reset()
        #expect(try await hasher.verifyAndRehash("not-the-password", against: Vectors.django1000) == .mismatch)
        #expect(try await hasher.verify("not-the-password", against: Vectors.django1000) == .mismatch)
        #expect(kdf.kinds == [.pbkdf2SHA256(iterations: 1000), .pbkdf2SHA256(iterations: 1000)])
    }

    // MARK: - ASVS-6.3.8 / F-04: equal work for unknown users

    @Test func test_ASVS_6_3_8_unknownUserCostsOneDerivationLikeKnownUser() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        let stored = try await hasher.hash("known user's password")
        kdf.reset()

        // Known user, right password.
        _ = try await hasher.verify("known user's password", against: stored)
        let known = kdf.kinds
        kdf.reset()
        // Known user, wrong password.
        _ = try await hasher.verify("a guess", against: stored)
        let wrong = kdf.kinds
        kdf.reset()
        // Unknown user.
        try await hasher.verifyDummy("a guess")
        let unknown = kdf.kinds

        #expect(known == [.scrypt(Support.tiny)])
        #expect(wrong == known)
        #expect(unknown == known)

        // The dummy uses the hasher's current parameters, whatever they are.
        let kdf2 = CountingPasswordKDF()
        try await Support.hasher(parameters: Support.tinyNext, kdf: kdf2).verifyDummy("a guess")
        #expect(kdf2.kinds == [.scrypt(Support.tinyNext)])

        // Length errors are identical for known and unknown users, at zero cost.
        kdf.reset()
        let long = String(repeating: "a", count: 4097)
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.verify(long, against: stored) }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { try await hasher.verifyDummy(long) }
        #expect(kdf.count == 0)
    }

    @Test func test_ASVS_6_3_8_brokenStoredHashCostsOneDerivation() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        for stored in ["", "!", "$scrypt$ln=10", "$scrypt$ln=40,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0"] {
            kdf.reset()
            await #expect(throws: PasswordError.self) { _ = try await hasher.verify("a guess", against: stored) }
            #expect(kdf.kinds == [.scrypt(Support.tiny)])
        }
    }

    // MARK: - ASVS-6.2.8: exactly as entered

    @Test func test_ASVS_6_2_8_noTruncationNoCaseFolding() async throws {
        let hasher = Support.hasher()
        let stored = try await hasher.hash("Secret-pass-1")
        #expect(try await hasher.verify("Secret-pass-1", against: stored).isMatch)
        #expect(try await hasher.verify("secret-pass-1", against: stored) == .mismatch)
        #expect(try await hasher.verify("SECRET-PASS-1", against: stored) == .mismatch)
        #expect(try await hasher.verify("Secret-pass-1 ", against: stored) == .mismatch)
        #expect(try await hasher.verify("Secret-pass-", against: stored) == .mismatch)

        // Two 100-byte passwords that differ only at byte 80.
        let first = String(repeating: "p", count: 79) + "A" + String(repeating: "q", count: 20)
        let second = String(repeating: "p", count: 79) + "B" + String(repeating: "q", count: 20)
        #expect(first.utf8.count == 100 && second.utf8.count == 100)
        let storedFirst = try await hasher.hash(first)
        #expect(try await hasher.verify(first, against: storedFirst).isMatch)
        #expect(try await hasher.verify(second, against: storedFirst) == .mismatch)
    }

    // MARK: - CS-P8: Unicode normalisation

    @Test func test_CS_P8_nfcAndNfdVerifyAlikeForScrypt() async throws {
        let hasher = Support.hasher()
        let nfc = "p\u{E4}ssw\u{F6}rd"        // "pässwörd", precomposed
        let nfd = "pa\u{308}sswo\u{308}rd"    // the same, decomposed
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        let fromNFC = try await hasher.hash(nfc)
        let fromNFD = try await hasher.hash(nfd)
        #expect(try await hasher.verify(nfd, against: fromNFC).isMatch)
        #expect(try await hasher.verify(nfc, against: fromNFD).isMatch)
        // NFC is not NFKC: compatibility characters stay distinct, so
        // visibly different passwords still differ (ASVS-6.2.8).
        let ligature = try await hasher.hash("\u{FB01}rst-pass")   // "ﬁrst-pass"
        #expect(try await hasher.verify("first-pass", against: ligature) == .mismatch)
        let fullWidth = try await hasher.hash("\u{FF30}ass-word-1")  // "Ｐass-word-1"
        #expect(try await hasher.verify("Pass-word-1", against: fullWidth) == .mismatch)
        // Other scripts and emoji round-trip.
        for password in ["пароль-надёжный", "密码很长很长", "🔐🦄 secret", "كلمة-السر"] {
            #expect(try await hasher.verify(password, against: try await hasher.hash(password)).isMatch)
        }
    }

    @Test func test_CS_P8_legacyHashesUseTheExactBytes() async throws {
        // Django hashed the bytes it was given (here NFC). They match as is;
        // the NFD spelling does not, since Django would not have matched it either.
        let hasher = Support.hasher()
        #expect(try await hasher.verify("p\u{E4}ssw\u{F6}rd-1", against: Vectors.djangoNFC) == .match(needsRehash: true))
        #expect(try await hasher.verify("pa\u{308}sswo\u{308}rd-1", against: Vectors.djangoNFC) == .mismatch)
    }

    // MARK: - CS-P9 / ASVS-6.2.9: length bounds

    @Test func test_CS_P9_oneMegabytePasswordRejectedBeforeHashing() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        let huge = String(repeating: "x", count: 1 << 20)
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.hash(huge) }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.verify(huge, against: Vectors.tesseraTiny) }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.verify(huge, against: Vectors.bcrypt2b) }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { try await hasher.verifyDummy(huge) }
        #expect(kdf.count == 0)
    }

    @Test func test_ASVS_6_2_9_longPasswordsHashAndTheBoundIsEnforced() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf)
        for length in [64, 128, 4096] {
            let password = String(repeating: "L", count: length)
            #expect(try await hasher.verify(password, against: try await hasher.hash(password)).isMatch, "\(length)")
        }
        kdf.reset()
        // 4097 bytes, also when the characters are multi-byte.
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.hash(String(repeating: "L", count: 4097)) }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) { _ = try await hasher.hash(String(repeating: "€", count: 1366)) }
        #expect(kdf.count == 0)
        #expect(PasswordHasher.defaultMaximumPasswordBytes == 4096)
    }

    /// One real hash at the default parameters, against OWASP's "well
    /// under a second". Opt-in (`TESSERA_SLOW_PASSWORD_TESTS=1`) because it
    /// costs seconds in a debug build, where BoringSSL is unoptimised; the
    /// budget is 1 s in a release build (`swift test -c release`) and 10 s
    /// in a debug one. The time is printed either way.
    @Test(.enabled(if: Support.slowTestsEnabled), .timeLimit(.minutes(1)))
    func test_CS_P9_defaultParametersHashWithinBudget() async throws {
        #if DEBUG
        let budget = Duration.seconds(10)
        #else
        let budget = Duration.seconds(1)
        #endif
        let hasher = PasswordHasher()
        let clock = ContinuousClock()
        var stored = ""
        let elapsed = try await clock.measure { stored = try await hasher.hash("budget check password") }
        print("scrypt N=2^17 r=8 p=1, one hash: \(elapsed) (budget \(budget))")
        #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        #expect(elapsed < budget)
    }

    // MARK: - Thread pool

    @Test func test_derivationRunsOnThreadPoolNotCaller() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        let poolThread = try await pool.runIfActive { PasswordTestSupport.currentThreadID() }
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf, threadPool: pool)
        let stored = try await hasher.hash("where does this run")
        let callerThread = PasswordTestSupport.currentThreadID()
        _ = try await hasher.verify("where does this run", against: stored)
        _ = try await hasher.verify("where does this run", against: Vectors.django1000)
        _ = try await hasher.verify("where does this run", against: Vectors.bcrypt2b)
        try await hasher.verifyDummy("where does this run")
        #expect(kdf.count == 5)
        #expect(kdf.calls.allSatisfy { $0.thread == poolThread })
        #expect(callerThread != poolThread)
    }

    @Test func test_stoppedThreadPoolIsATypedError() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        try await pool.shutdownGracefully()
        let kdf = CountingPasswordKDF()
        let hasher = Support.hasher(kdf: kdf, threadPool: pool)
        await #expect(throws: PasswordError.threadPoolUnavailable) { _ = try await hasher.hash("no pool") }
        await #expect(throws: PasswordError.threadPoolUnavailable) { _ = try await hasher.verify("no pool", against: Vectors.tesseraTiny) }
        await #expect(throws: PasswordError.threadPoolUnavailable) { try await hasher.verifyDummy("no pool") }
        #expect(kdf.count == 0)
    }

    // MARK: - Messages

    @Test func test_errorMessagesNeverContainPasswordOrHash() {
        let errors: [PasswordError] = [
            .tooLong(maximumBytes: 4096), .tooLongForBcrypt, .nulCharacterForBcrypt, .malformedHash,
            .parametersOutOfRange, .unsupportedScheme, .threadPoolUnavailable, .cancelled, .derivationFailed,
        ]
        for error in errors {
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.isEmpty)
            for secret in [Vectors.bcrypt2bPassword, "itJBs1kk55", "WU5FUB", "$scrypt$", "$2b$"] {
                #expect(!text.contains(secret))
            }
        }
        #expect(PasswordError.tooLongForBcrypt.description.contains("72"))
    }
}

/// Hand-built ``PasswordHash`` values go through the same bounds as parsed ones.
@Suite("Credentials: PasswordHasher with hand-built hashes")
struct PasswordHasherBuiltHashTests {
    @Test func test_CS_P7_handBuiltHashesObeyTheParserBounds() async throws {
        let kdf = CountingPasswordKDF()
        let hasher = PasswordTestSupport.hasher(kdf: kdf)
        let hostile: [PasswordHash] = [
            .djangoPBKDF2SHA256(iterations: 4_000_000_000, salt: "salt", hash: Array(repeating: 0, count: 32)),
            .djangoPBKDF2SHA256(iterations: 1000, salt: "with$dollar", hash: Array(repeating: 0, count: 32)),
            .djangoPBKDF2SHA256(iterations: 1000, salt: "salt", hash: []),
            .scrypt(PasswordTestSupport.tiny, salt: [], hash: []),
            .scrypt(PasswordTestSupport.tiny, salt: Array(repeating: 1, count: 16), hash: Array(repeating: 0, count: 4096)),
            .bcrypt(.b, cost: 31, saltAndHash: String(PasswordVectors.bcrypt2b.dropFirst(7))),
            .bcrypt(.b, cost: 4, saltAndHash: "short"),
        ]
        for hash in hostile {
            await #expect(throws: PasswordError.self) { _ = try await hasher.verify("password", against: hash) }
        }
        // Each refusal cost one tiny dummy derivation and nothing else.
        #expect(kdf.kinds == Array(repeating: .scrypt(PasswordTestSupport.tiny), count: hostile.count))
        // A valid hand-built value verifies as its string would.
        let parsed = try PasswordHash(parsing: PasswordVectors.django1000)
        #expect(try await hasher.verify(PasswordVectors.django1000Password, against: parsed) == .match(needsRehash: true))
    }
}
