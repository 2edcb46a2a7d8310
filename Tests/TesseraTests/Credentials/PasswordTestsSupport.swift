import Foundation
import NIOPosix
import Synchronization
@testable import Tessera

/// Helpers shared by the password test files.
enum PasswordTestSupport {
    /// Tiny scrypt parameters (N=2^10, r=1: 128 KiB, milliseconds even in
    /// a debug build) for every test except the ones about the defaults.
    static let tiny = try! ScryptParameters(logN: 10, blockSize: 1, parallelism: 1)
    /// Slightly stronger tiny parameters, to play "the current ones" when
    /// ``tiny`` plays "the old ones".
    static let tinyNext = try! ScryptParameters(logN: 11, blockSize: 1, parallelism: 1)
    /// The parameters of ``PasswordVectors/tesseraTiny`` (N=2^10, r=8, p=1).
    static let pythonVector = try! ScryptParameters(logN: 10, blockSize: 8, parallelism: 1)

    /// Whether the slow tests run: `TESSERA_SLOW_PASSWORD_TESTS=1`.
    static let slowTestsEnabled = ProcessInfo.processInfo.environment["TESSERA_SLOW_PASSWORD_TESTS"] != nil

    /// A hasher with tiny parameters around a counting KDF.
    static func hasher(
        parameters: ScryptParameters = tiny,
        kdf: CountingPasswordKDF = CountingPasswordKDF(),
        threadPool: NIOThreadPool = .singleton,
        random: RandomSource = .system
    ) -> PasswordHasher {
        PasswordHasher(parameters: parameters, threadPool: threadPool, random: random, kdf: kdf)
    }

    /// A source that always returns the bytes 0, 1, 2, …
    static let countingRandom = RandomSource { count in (0..<count).map { UInt8(truncatingIfNeeded: $0) } }

    /// The calling thread, to show where the derivation ran.
    static func currentThreadID() -> UInt64 {
        #if canImport(Darwin)
        UInt64(UInt(bitPattern: pthread_self()))
        #else
        UInt64(pthread_self())
        #endif
    }

    /// The bytes of a hex string.
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

/// Wraps a ``PasswordKDF`` and records every call: which primitive, which
/// cost, on which thread. This is the counting-hasher seam of Django's
/// `test_authentication_timing` (F-04), without wall-clock timing.
final class CountingPasswordKDF: PasswordKDF {
    enum Kind: Sendable, Equatable {
        case scrypt(ScryptParameters)
        case pbkdf2SHA256(iterations: Int)
        case bcrypt(cost: Int)
    }

    struct Call: Sendable, Equatable {
        let kind: Kind
        let thread: UInt64
    }

    private let inner: any PasswordKDF
    private let log = Mutex<[Call]>([])

    init(_ inner: any PasswordKDF = StandardPasswordKDF()) {
        self.inner = inner
    }

    var calls: [Call] { log.withLock { $0 } }
    var kinds: [Kind] { calls.map(\.kind) }
    var count: Int { calls.count }

    func reset() { log.withLock { $0.removeAll() } }

    private func record(_ kind: Kind) {
        let call = Call(kind: kind, thread: PasswordTestSupport.currentThreadID())
        log.withLock { $0.append(call) }
    }

    func scrypt(password: [UInt8], salt: [UInt8], parameters: ScryptParameters, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        record(.scrypt(parameters))
        return try inner.scrypt(password: password, salt: salt, parameters: parameters, outputByteCount: outputByteCount)
    }

    func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        record(.pbkdf2SHA256(iterations: iterations))
        return try inner.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, outputByteCount: outputByteCount)
    }

    func bcryptVerify(password: String, hash: String) -> Bool {
        let cost = Int(hash.utf8.dropFirst(4).prefix(2).reduce(0) { $0 * 10 + Int($1 - 48) })
        record(.bcrypt(cost: cost))
        return inner.bcryptVerify(password: password, hash: hash)
    }
}

/// A KDF that does no work and returns zeros: for asserting what the
/// hasher asks for at the default (expensive) parameters.
struct ZeroPasswordKDF: PasswordKDF {
    func scrypt(password: [UInt8], salt: [UInt8], parameters: ScryptParameters, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        [UInt8](repeating: 0, count: outputByteCount)
    }

    func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        [UInt8](repeating: 0, count: outputByteCount)
    }

    func bcryptVerify(password: String, hash: String) -> Bool { false }
}

/// Known stored hashes made by other systems, with how they were made.
enum PasswordVectors {
    // Django 5.2.19, Python 3.11:
    //   from django.conf import settings; settings.configure()
    //   from django.contrib.auth.hashers import PBKDF2PasswordHasher
    //   PBKDF2PasswordHasher().encode(password, salt, iterations=N)
    /// `encode("django-user-pass", "c9Ty8QkLq1nWzR4vXe2mBp", iterations=1000)`
    static let django1000 = "pbkdf2_sha256$1000$c9Ty8QkLq1nWzR4vXe2mBp$WU5FUB/ZbmoOee0OzRlFtCAx2sMFIBtfgyu4/qLXl8s="
    static let django1000Password = "django-user-pass"
    /// `encode("legacy-310k-pass", "Hq3ZrLw8NbV2sKx6YtPe0u", iterations=310000)`
    static let django310000 = "pbkdf2_sha256$310000$Hq3ZrLw8NbV2sKx6YtPe0u$9o68lytl0Z2ThAGbZ9CQU+AnwlstZgfHpYuRgGYBzW4="
    static let django310000Password = "legacy-310k-pass"
    /// `encode("legacy-600k-pass", "Ma7TeX2gR9kPq4WcNzYv1s", iterations=600000)`
    static let django600000 = "pbkdf2_sha256$600000$Ma7TeX2gR9kPq4WcNzYv1s$PLPwwOU7vjWhHkFTrvNGufC3Z0dPnX8yZvXpzlDtmfs="
    static let django600000Password = "legacy-600k-pass"
    /// `encode(unicodedata.normalize("NFC", "pässwörd-1"), "Uq5BwXn8LkT3rZcV0yHe7a", iterations=1000)`
    static let djangoNFC = "pbkdf2_sha256$1000$Uq5BwXn8LkT3rZcV0yHe7a$RIVaH2Wc/Q51Az0YmuTlHPWgwV+nFVAJxYrw0L8Qe5o="
    /// `encode("salted-pass", "sälted", iterations=1000)`: a non-ASCII salt is used as UTF-8.
    static let djangoUnicodeSalt = "pbkdf2_sha256$1000$sälted$mJMOCLnh0vmQLXK65UjUA7m2F6FURdEgGDaG9F4zuio="

    // Python bcrypt 5.0.0: bcrypt.hashpw(password, bcrypt.gensalt(rounds=4[, prefix=b"2a"]))
    /// `hashpw(b"django-bcrypt-pass", gensalt(rounds=4))`
    static let bcrypt2b = "$2b$04$itJBs1kk55axqeAz4vpHn.QUIXeUKXoCBg4K4WbL1E3AaKtGOshSu"
    static let bcrypt2bPassword = "django-bcrypt-pass"
    /// `hashpw(b"rails-style-pass", gensalt(rounds=4, prefix=b"2a"))` (Ruby's bcrypt gem writes `$2a$`)
    static let bcrypt2a = "$2a$04$3HdGViZ5z3JVQAdFDDMiXewNLw4GlzRFSrIwC0LLdMwSOJU2vU6Te"
    static let bcrypt2aPassword = "rails-style-pass"
    /// `hashpw(("x" * 71 + "7").encode(), gensalt(rounds=4))`: exactly 72 bytes.
    static let bcrypt72 = "$2b$04$K8CcbCVezRb3nDXykIg4yuc.sOYajaaj7LzklKI2YjvqXbK1l4sUC"
    static let bcrypt72Password = String(repeating: "x", count: 71) + "7"

    // Apache htpasswd 2.4 (Debian apache2-utils), which writes PHP-style `$2y$`:
    //   htpasswd -nbBC 5 user 'rails-and-php-pass'
    static let bcrypt2y = "$2y$05$Ppt22IIOmbKVxIrsmjmjg.gc5wU3.uriQSXGfMDsLCb8vjvIgf3sq"
    static let bcrypt2yPassword = "rails-and-php-pass"
    //   htpasswd -nbBC 9 user 'cost-nine-pass'
    static let bcrypt2yCost9 = "$2y$09$1JpNQ8UWqZi3g3iVfxfjd.Xu62f6R4CWz/VnVBAGixQqEMbzFhvAm"
    static let bcrypt2yCost9Password = "cost-nine-pass"

    // Tessera's own format computed independently with Python's hashlib:
    //   salt = bytes(range(16))
    //   dk = hashlib.scrypt(b"tessera-scrypt-pass", salt=salt, n=1024, r=8, p=1, dklen=32)
    //   "$scrypt$ln=10,r=8,p=1$" + b64(salt) + "$" + b64(dk)   # b64 = standard, "=" stripped
    static let tesseraTiny = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$zHzkgpIfU91b5bMz1dK6vCKf8uKsUZvPlaHRvr3LBY0"
    static let tesseraTinyPassword = "tessera-scrypt-pass"

    // RFC 7914 §12 vectors 2 and 3 written in the stored format (64-byte outputs):
    //   hashlib.scrypt(b"password", salt=b"NaCl", n=1024, r=8, p=16, dklen=64) == the RFC's DK
    static let rfc7914Vector2 = "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA"
    //   hashlib.scrypt(b"pleaseletmein", salt=b"SodiumChloride", n=16384, r=8, p=1, dklen=64)
    static let rfc7914Vector3 = "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw"
}
