/// A stored password hash: which scheme, its parameters, salt and hash.
///
/// Tessera writes one format, PHC-style scrypt
/// (`$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, standard base64 without
/// padding, 16-byte salt, 32-byte hash), and reads two more so users
/// migrating from other frameworks keep their passwords:
///
/// - Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`
///   (PBKDF2-HMAC-SHA256 over the salt's UTF-8 bytes, 32-byte hash,
///   standard base64 with padding);
/// - bcrypt `$2a$`, `$2b$` and `$2y$` (Rails, PHP, Python `bcrypt`).
///
/// A stored string comes from a database and is untrusted: parsing is
/// strict (exactly one spelling per hash, every number canonical and
/// bounded) and never traps. Anything else is ``PasswordError/unsupportedScheme``,
/// so an unknown or disabled hash (Django's `!` prefix, say) never matches.
///
/// The description shows the scheme and cost but never the salt or hash.
public enum PasswordHash: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Tessera's own scheme.
    case scrypt(ScryptParameters, salt: [UInt8], hash: [UInt8])
    /// Django's `PBKDF2PasswordHasher`. `salt` is text, used as its UTF-8 bytes.
    case djangoPBKDF2SHA256(iterations: Int, salt: String, hash: [UInt8])
    /// A bcrypt hash. `cost` is log2 of the rounds; `saltAndHash` is the
    /// 53 characters after the cost (22 of salt, 31 of hash, bcrypt's base64).
    case bcrypt(BcryptVariant, cost: Int, saltAndHash: String)

    /// The bcrypt version prefixes Tessera verifies.
    public enum BcryptVariant: String, Sendable, Equatable, CaseIterable {
        /// `$2a$`: the original; identical to `$2b$` for the passwords of
        /// at most 72 bytes that Tessera lets through.
        case a = "2a"
        /// `$2b$`: OpenBSD's fixed version (Python `bcrypt`, Rails ≥ 3.1.12).
        case b = "2b"
        /// `$2y$`: PHP's name for the same algorithm as `$2b$`.
        case y = "2y"
    }

    /// The salt length Tessera writes (bytes).
    public static let saltByteCount = 16
    /// The hash length Tessera writes (bytes).
    public static let hashByteCount = 32
    /// The longest stored string parsed at all; longer is ``PasswordError/malformedHash``.
    public static let maximumEncodedLength = 256
    /// Accepted scrypt salt lengths when reading (bytes).
    public static let scryptSaltByteRange: ClosedRange<Int> = 4...64
    /// Accepted scrypt hash lengths when reading (bytes).
    public static let scryptHashByteRange: ClosedRange<Int> = 16...64
    /// Accepted Django PBKDF2 iteration counts: Django 5.2 writes 1 000 000;
    /// five million bounds the time a hostile row can cost.
    public static let djangoIterationRange: ClosedRange<Int> = 1...5_000_000
    /// Accepted Django salt lengths (UTF-8 bytes).
    public static let djangoSaltByteRange: ClosedRange<Int> = 1...128
    /// The bcrypt costs the format allows. ``PasswordHasher`` applies its
    /// own, lower ceiling before spending the time.
    public static let bcryptCostRange: ClosedRange<Int> = 4...31

    static let scryptPrefix = "$scrypt$"
    static let djangoPrefix = "pbkdf2_sha256$"
    static let bcryptAlphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Parses a stored hash.
    /// - Throws: ``PasswordError/unsupportedScheme`` for an unknown prefix,
    ///   ``PasswordError/malformedHash`` for a known one spelled wrongly, and
    ///   ``PasswordError/parametersOutOfRange`` for a cost outside the bounds.
    public init(parsing stored: String) throws(PasswordError) {
        let bytes = Array(stored.utf8)
        guard bytes.count <= Self.maximumEncodedLength else { throw .malformedHash }
        // Prefixes and separators are matched on UTF-8 bytes, not on
        // Characters, so a combining mark cannot hide or fake a `$`.
        if bytes.starts(with: Self.scryptPrefix.utf8) {
            self = try Self.parseScrypt(bytes)
        } else if bytes.starts(with: Self.djangoPrefix.utf8) {
            self = try Self.parseDjango(bytes)
        } else if BcryptVariant.allCases.contains(where: { bytes.starts(with: "$\($0.rawValue)$".utf8) }) {
            self = try Self.parseBcrypt(bytes)
        } else {
            throw .unsupportedScheme
        }
    }

    /// The stored form; parsing it gives back an equal value.
    public var encoded: String {
        switch self {
        case .scrypt(let parameters, let salt, let hash):
            return "\(Self.scryptPrefix)\(parameters)$\(PHCBase64.encodeUnpadded(salt))$\(PHCBase64.encodeUnpadded(hash))"
        case .djangoPBKDF2SHA256(let iterations, let salt, let hash):
            return "\(Self.djangoPrefix)\(iterations)$\(salt)$\(Base64.standardEncode(hash))"
        case .bcrypt(let variant, let cost, let saltAndHash):
            return "$\(variant.rawValue)$\(Self.twoDigits(cost))$\(saltAndHash)"
        }
    }

    /// The scheme's name: `scrypt`, `pbkdf2_sha256` or `bcrypt`.
    public var schemeName: String {
        switch self {
        case .scrypt: "scrypt"
        case .djangoPBKDF2SHA256: "pbkdf2_sha256"
        case .bcrypt: "bcrypt"
        }
    }

    /// Whether a password that matched this hash should be hashed again
    /// with `current` (CS-P6, ASVS-11.4.2).
    ///
    /// Django PBKDF2 and bcrypt hashes always should: scrypt is the current
    /// scheme, whatever their cost (CS-P3, CS-P4). A scrypt hash should when
    /// its parameters differ from `current` in any way (weaker ones, but
    /// also stronger ones after an operator lowered the cost on purpose), or
    /// when its salt or hash length is not the one Tessera writes.
    public func needsRehash(comparedTo current: ScryptParameters) -> Bool {
        switch self {
        case .scrypt(let parameters, let salt, let hash):
            return parameters != current || salt.count != Self.saltByteCount || hash.count != Self.hashByteCount
        case .djangoPBKDF2SHA256, .bcrypt:
            return true
        }
    }

    /// The scheme and cost, never the salt or hash.
    public var description: String {
        switch self {
        case .scrypt(let parameters, _, _):
            "PasswordHash(scrypt \(parameters), salt and hash redacted)"
        case .djangoPBKDF2SHA256(let iterations, _, _):
            "PasswordHash(pbkdf2_sha256 iterations=\(iterations), salt and hash redacted)"
        case .bcrypt(let variant, let cost, _):
            "PasswordHash(bcrypt $\(variant.rawValue)$ cost=\(cost), salt and hash redacted)"
        }
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// No children, so `dump` and debuggers show no salt or hash either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    // MARK: - Parsing

    /// `$scrypt$ln=<d>,r=<d>,p=<d>$<salt>$<hash>`.
    private static func parseScrypt(_ bytes: [UInt8]) throws(PasswordError) -> PasswordHash {
        let fields = split(bytes, at: "$")
        guard fields.count == 5, fields[0].isEmpty else { throw .malformedHash }
        let pairs = split(Array(fields[2].utf8), at: ",")
        guard pairs.count == 3,
              let logN = decimal(pairs[0], after: "ln="),
              let blockSize = decimal(pairs[1], after: "r="),
              let parallelism = decimal(pairs[2], after: "p=") else { throw .malformedHash }
        let parameters = try ScryptParameters(logN: logN, blockSize: blockSize, parallelism: parallelism)
        guard let salt = PHCBase64.decodeUnpadded(fields[3]), scryptSaltByteRange.contains(salt.count),
              let hash = PHCBase64.decodeUnpadded(fields[4]), scryptHashByteRange.contains(hash.count) else {
            throw .malformedHash
        }
        return .scrypt(parameters, salt: salt, hash: hash)
    }

    /// `pbkdf2_sha256$<iterations>$<salt>$<base64 of 32 bytes, padded>`.
    private static func parseDjango(_ bytes: [UInt8]) throws(PasswordError) -> PasswordHash {
        let fields = split(bytes, at: "$")
        guard fields.count == 4, let iterations = decimal(fields[1], after: "") else { throw .malformedHash }
        guard djangoIterationRange.contains(iterations) else { throw .parametersOutOfRange }
        let salt = String(fields[2])
        guard djangoSaltByteRange.contains(salt.utf8.count),
              let hash = PHCBase64.decodePadded(fields[3]), hash.count == hashByteCount else { throw .malformedHash }
        return .djangoPBKDF2SHA256(iterations: iterations, salt: salt, hash: hash)
    }

    /// `$2?$<two-digit cost>$<22 salt chars><31 hash chars>`: 60 ASCII bytes.
    private static func parseBcrypt(_ bytes: [UInt8]) throws(PasswordError) -> PasswordHash {
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
              let variant = BcryptVariant(rawValue: String(decoding: bytes[1..<3], as: UTF8.self)),
              let cost = decimal(Substring(decoding: bytes[4..<6], as: UTF8.self), after: "", allowLeadingZero: true)
        else { throw .malformedHash }
        let symbols = bytes[7...]
        guard symbols.allSatisfy({ bcryptAlphabet.contains($0) }) else { throw .malformedHash }
        // 22 symbols carry a 16-byte salt and 31 carry a 23-byte hash; the
        // unused low bits of each last symbol must be zero (one spelling).
        guard let saltLast = bcryptAlphabet.firstIndex(of: bytes[28]), saltLast & 0x0F == 0,
              let hashLast = bcryptAlphabet.firstIndex(of: bytes[59]), hashLast & 0x03 == 0 else { throw .malformedHash }
        guard bcryptCostRange.contains(cost) else { throw .parametersOutOfRange }
        return .bcrypt(variant, cost: cost, saltAndHash: String(decoding: symbols, as: UTF8.self))
    }

    /// A canonical non-negative decimal after `prefix`: ASCII digits only,
    /// at most 9 of them, no sign, no leading zero (unless allowed, for
    /// bcrypt's fixed two-digit cost).
    private static func decimal(_ field: Substring, after prefix: String, allowLeadingZero: Bool = false) -> Int? {
        guard field.utf8.starts(with: prefix.utf8) else { return nil }
        let digits = field.utf8.dropFirst(prefix.utf8.count)
        guard !digits.isEmpty, digits.count <= 9,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if !allowLeadingZero, digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Splits at every ASCII `separator` byte, keeping empty fields. Cuts
    /// at an ASCII byte always fall between scalars, so no text is lost.
    private static func split(_ bytes: [UInt8], at separator: Unicode.Scalar) -> [Substring] {
        bytes.split(separator: UInt8(ascii: separator), omittingEmptySubsequences: false)
            .map { Substring(String(decoding: $0, as: UTF8.self)) }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
