import Foundation
import Testing
@testable import Tessera

/// The stored-hash format: parse, format, bounds, fail-closed (CS-P7).
@Suite("Credentials: PasswordHash stored format")
struct PasswordHashFormatTests {
    typealias Vectors = PasswordVectors

    private static func parseError(_ stored: String) -> PasswordError? {
        do {
            _ = try PasswordHash(parsing: stored)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - CS-P7 round trip

    @Test func test_CS_P7_roundTripOfEveryScheme() throws {
        let stored = [
            Vectors.tesseraTiny, Vectors.rfc7914Vector2, Vectors.rfc7914Vector3,
            Vectors.django1000, Vectors.django310000, Vectors.djangoUnicodeSalt,
            Vectors.bcrypt2a, Vectors.bcrypt2b, Vectors.bcrypt2y, Vectors.bcrypt2yCost9,
        ]
        for text in stored {
            let parsed = try PasswordHash(parsing: text)
            #expect(parsed.encoded == text)
            #expect(try PasswordHash(parsing: parsed.encoded) == parsed)
        }
    }

    @Test func test_CS_P7_parsedFieldsOfOwnFormat() throws {
        let parsed = try PasswordHash(parsing: Vectors.tesseraTiny)
        guard case .scrypt(let parameters, let salt, let hash) = parsed else {
            Issue.record("not scrypt")
            return
        }
        #expect(parameters == PasswordTestSupport.pythonVector)
        #expect(parameters.costN == 1024)
        #expect(salt == Array(0..<16))
        #expect(hash.count == 32)
        #expect(parsed.schemeName == "scrypt")

        let value = PasswordHash.scrypt(PasswordTestSupport.pythonVector, salt: Array(repeating: 0xFB, count: 16), hash: Array(repeating: 0xFF, count: 32))
        // Standard alphabet (`+/`), no padding, as PHC specifies.
        #expect(value.encoded == "$scrypt$ln=10,r=8,p=1$+/v7+/v7+/v7+/v7+/v7+w$//////////////////////////////////////////8")
        #expect(try PasswordHash(parsing: value.encoded) == value)
    }

    @Test func test_CS_P7_parsedFieldsOfLegacyFormats() throws {
        #expect(try PasswordHash(parsing: Vectors.django310000)
                == .djangoPBKDF2SHA256(iterations: 310_000, salt: "Hq3ZrLw8NbV2sKx6YtPe0u",
                                       hash: Array(Data(base64Encoded: "9o68lytl0Z2ThAGbZ9CQU+AnwlstZgfHpYuRgGYBzW4=")!)))
        #expect(try PasswordHash(parsing: Vectors.bcrypt2yCost9)
                == .bcrypt(.y, cost: 9, saltAndHash: String(Vectors.bcrypt2yCost9.dropFirst(7))))
        #expect(try PasswordHash(parsing: Vectors.bcrypt2a).schemeName == "bcrypt")
        #expect(try PasswordHash(parsing: Vectors.django1000).schemeName == "pbkdf2_sha256")
    }

    // MARK: - CS-P7 fail closed

    @Test func test_CS_P7_unknownAlgorithmFailsClosed() async throws {
        let unknown = [
            "",
            "!",                                         // Django's unusable password
            "!Xh3Bq0cT9pLm2ZsR8vNw4yKe7aFu1jDg5oQiHbEc",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
            "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA",
            "pbkdf2_sha1$260000$salt$aGFzaA==",
            "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuv",
            "bcrypt$$2b$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu",
            "scrypt$salt$16384$8$1$aGFzaA==",            // Django's scrypt hasher
            "$2x$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu", // crypt_blowfish's buggy variant
            "$2$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu",
            "$1$saltsalt$hash",                          // md5-crypt
            "5f4dcc3b5aa765d61d8327deb882cf99",          // bare MD5 of "password"
            "$SCRYPT$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0",
            " $scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0",
        ]
        let kdf = CountingPasswordKDF()
        let hasher = PasswordTestSupport.hasher(kdf: kdf)
        for stored in unknown {
            #expect(Self.parseError(stored) == .unsupportedScheme, "\(stored.prefix(12))")
            await #expect(throws: PasswordError.unsupportedScheme) {
                _ = try await hasher.verify("password", against: stored)
            }
        }
        // Never a match, and each refusal still cost one dummy derivation
        // at the current parameters (ASVS-6.3.8).
        #expect(kdf.kinds == Array(repeating: .scrypt(PasswordTestSupport.tiny), count: unknown.count))
    }

    // MARK: - Strict parsing

    @Test func test_CS_P7_malformedScryptStrings() {
        let salt = "AAECAwQFBgcICQoLDA0ODw"
        let hash = "zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0"
        let malformed = [
            "$scrypt$",
            "$scrypt$ln=10,r=8,p=1$\(salt)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$extra",
            "$scrypt$r=8,ln=10,p=1$\(salt)$\(hash)",              // order is fixed
            "$scrypt$ln=10,r=8$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=1,x=1$\(salt)$\(hash)",
            "$scrypt$ln=010,r=8,p=1$\(salt)$\(hash)",             // leading zero
            "$scrypt$ln=+10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln= 10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10 ,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=1e1,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=١٠,r=8,p=1$\(salt)$\(hash)",              // Arabic-Indic digits
            "$scrypt$ln=99999999999999999999,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$LN=10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)==$\(hash)",             // padding
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)=",
            "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0OD-$\(hash)", // URL-safe symbol
            "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODx$\(hash)", // non-zero unused bits
            "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0OD$\(hash)",  // 4n+1 symbols
            "$scrypt$ln=10,r=8,p=1$AAEC$\(hash)",                   // 3-byte salt
            "$scrypt$ln=10,r=8,p=1$\(String(repeating: "A", count: 88))$\(hash)", // 66-byte salt
            "$scrypt$ln=10,r=8,p=1$\(salt)$AAAAAAAAAAAAAAAAAAAA",   // 15-byte hash
            "$scrypt$ln=10,r=8,p=1$$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\u{0301}\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)\u{0000}",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(String(repeating: "A", count: 300))", // over the length bound
        ]
        for stored in malformed {
            #expect(Self.parseError(stored) == .malformedHash, "\(stored)")
        }
    }

    /// A hostile row must not make Tessera allocate gigabytes or spin:
    /// every cost is bounded before any derivation (ASVS-11.4.2's "tuned"
    /// means both ways).
    @Test func test_ASVS_11_4_2_hostileScryptCostsAreRefused() async {
        let tail = "$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0"
        let outOfRange = [
            "ln=9,r=8,p=1", "ln=22,r=1,p=1", "ln=30,r=8,p=1", "ln=63,r=8,p=1", "ln=64,r=8,p=1", "ln=999999999,r=8,p=1",
            "ln=0,r=8,p=1", "ln=10,r=0,p=1", "ln=10,r=17,p=1", "ln=10,r=8,p=0", "ln=10,r=8,p=17",
            "ln=19,r=8,p=1",   // 512 MiB
            "ln=21,r=2,p=1",   // 512 MiB
            "ln=18,r=8,p=16",  // work 2^25
        ]
        for parameters in outOfRange {
            #expect(Self.parseError("$scrypt$\(parameters)\(tail)") == .parametersOutOfRange, "\(parameters)")
        }
        // At the edges: exactly 256 MiB and exactly 2^24 work are accepted.
        for parameters in ["ln=18,r=8,p=1", "ln=21,r=1,p=1", "ln=17,r=8,p=16", "ln=10,r=16,p=16"] {
            #expect(Self.parseError("$scrypt$\(parameters)\(tail)") == nil, "\(parameters)")
        }
        #expect(ScryptParameters.recommended.memoryByteCount == 128 * 1024 * 1024)

        // Through the hasher: refused, with one dummy derivation at the
        // current parameters and none at the hostile ones.
        let kdf = CountingPasswordKDF()
        let hasher = PasswordTestSupport.hasher(kdf: kdf)
        await #expect(throws: PasswordError.parametersOutOfRange) {
            _ = try await hasher.verify("password", against: "$scrypt$ln=30,r=16,p=16\(tail)")
        }
        #expect(kdf.kinds == [.scrypt(PasswordTestSupport.tiny)])

        // Configured parameters obey the same bounds.
        #expect(throws: PasswordError.parametersOutOfRange) { try ScryptParameters(logN: 24, blockSize: 8, parallelism: 1) }
        #expect(throws: PasswordError.parametersOutOfRange) { try ScryptParameters(logN: 17, blockSize: 32, parallelism: 1) }
    }

    @Test func test_CS_P7_malformedDjangoStrings() {
        let hash = "WU5FUB/ZbmoOee0OzRlFtCAx2sMFIBtfgyu4/qLXl8s="
        let malformed = [
            "pbkdf2_sha256$",
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp",
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)$",
            "pbkdf2_sha256$$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)",
            "pbkdf2_sha256$01000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)",
            "pbkdf2_sha256$-1000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)",
            "pbkdf2_sha256$1_000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)",
            "pbkdf2_sha256$ 1000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)",
            "pbkdf2_sha256$1000$$\(hash)",                                  // empty salt
            "pbkdf2_sha256$1000$\(String(repeating: "s", count: 129))$\(hash)",
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$WU5FUB/ZbmoOee0OzRlFtCAx2sMFIBtfgyu4/qLXl8s",  // padding missing
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$WU5FUB/ZbmoOee0OzRlFtCAx2sMFIBtfgyu4/qLXl8s==",
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$WU5FUB_ZbmoOee0OzRlFtCAx2sMFIBtfgyu4_qLXl8s=",  // URL-safe
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$WU5FUB/ZbmoOee0OzRlFtCAx2sMFIBtfgyu4/qLXl8t=",  // unused bits
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$aGFzaA==",            // 4-byte hash
            "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$ \(hash)",
        ]
        for stored in malformed {
            #expect(Self.parseError(stored) == .malformedHash, "\(stored)")
        }
        #expect(Self.parseError("pbkdf2_sha256$0$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)") == .parametersOutOfRange)
        #expect(Self.parseError("pbkdf2_sha256$5000001$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)") == .parametersOutOfRange)
        #expect(Self.parseError("pbkdf2_sha256$999999999$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)") == .parametersOutOfRange)
        #expect(Self.parseError("pbkdf2_sha256$5000000$c9Ty8QkLq1nWzR4vXe2mBp$\(hash)") == nil)
    }

    @Test func test_CS_P7_malformedBcryptStrings() {
        let good = Vectors.bcrypt2b   // $2b$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu
        let body = String(good.dropFirst(7))
        let malformed = [
            String(good.dropLast()),                       // 59 characters
            good + "u",                                    // 61
            "$2b$4$" + body + "u",
            "$2b$04" + body + "u",
            "$2b$4a$" + body,
            "$2b$-4$" + body,
            "$2b$04$" + body.replacingOccurrences(of: "i", with: "+"),    // outside bcrypt's alphabet
            "$2b$04$" + body.replacingOccurrences(of: "i", with: "é").dropLast(),
            "$2b$04$itJBs1kk55axqeAz4vpHn/QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu", // salt's unused bits set
            "$2b$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSv", // hash's unused bits set
            "$2b$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOsh\u{0000}u",
        ]
        for stored in malformed {
            #expect(Self.parseError(stored) == .malformedHash, "\(stored)")
        }
        for cost in ["00", "03", "32", "99"] {
            #expect(Self.parseError("$2b$\(cost)$" + body) == .parametersOutOfRange, "\(cost)")
        }
        #expect(Self.parseError("$2b$31$" + body) == nil)
    }

    /// Random damage to valid strings: each result parses or throws a
    /// ``PasswordError``; none traps.
    @Test func test_CS_P7_damagedStoredStringsNeverTrap() {
        var generator = SplitMix64(seed: 0x7E55E4A)
        let originals = [Vectors.tesseraTiny, Vectors.rfc7914Vector2, Vectors.django1000, Vectors.djangoUnicodeSalt,
                         Vectors.bcrypt2a, Vectors.bcrypt2b, Vectors.bcrypt2y]
        let alphabet = Array("$=,+/._-0123456789ln rpAZaz\u{0}\u{301}é".unicodeScalars)
        var parsedCount = 0, refusedCount = 0
        for original in originals {
            for _ in 0..<400 {
                var scalars = Array(original.unicodeScalars)
                for _ in 0...Int(generator.next() % 3) {
                    let position = Int(generator.next() % UInt64(scalars.count))
                    switch generator.next() % 4 {
                    case 0: scalars[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    case 1: scalars.remove(at: position)
                    case 2: scalars.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                    default: scalars = Array(scalars[..<position])
                    }
                    if scalars.isEmpty { scalars = ["$"] }
                }
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars)
                if (try? PasswordHash(parsing: text)) != nil { parsedCount += 1 } else { refusedCount += 1 }
            }
        }
        #expect(refusedCount > parsedCount)
    }

    // MARK: - No hash in descriptions

    @Test func test_CS_P7_descriptionsRedactSaltAndHash() throws {
        for stored in [Vectors.tesseraTiny, Vectors.django1000, Vectors.bcrypt2y] {
            let parsed = try PasswordHash(parsing: stored)
            var dumped = ""
            dump(parsed, to: &dumped)
            let texts = [parsed.description, parsed.debugDescription, "\(parsed)", String(reflecting: parsed), dumped]
            let secretParts = stored.split(separator: "$").suffix(2).map(String.init).filter { $0.count > 8 }
            for text in texts {
                #expect(text.contains("redacted"))
                for part in secretParts {
                    #expect(!text.contains(part))
                    #expect(!text.contains(part.prefix(10)))
                }
            }
        }
        let outcome = PasswordRehashOutcome.match(replacement: Vectors.tesseraTiny)
        var dumped = ""
        dump(outcome, to: &dumped)
        for text in ["\(outcome)", String(reflecting: outcome), dumped] {
            #expect(!text.contains("zHzkgpIf"))
        }
    }
}

/// A small deterministic generator for the damage test.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
