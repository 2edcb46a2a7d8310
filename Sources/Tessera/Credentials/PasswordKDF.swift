/// The slow key-derivation primitives behind ``PasswordHasher``.
///
/// This is the only place a password meets a memory- or CPU-hard function,
/// which makes it the seam for deterministic tests: a test double that
/// wraps ``StandardPasswordKDF`` and counts calls shows that an unknown
/// user costs exactly one derivation, like a known one (ASVS-6.3.8, the
/// counting-hasher pattern of Django's `test_authentication_timing`), and
/// that an over-long password costs none (CS-P9).
///
/// ``PasswordHasher`` calls these methods on its thread pool, never on the
/// caller's executor; implementations may block.
public protocol PasswordKDF: Sendable {
    /// scrypt (RFC 7914) of `password` with `salt`, `outputByteCount` bytes long.
    /// - Throws: ``PasswordError/derivationFailed`` when the derivation fails.
    func scrypt(password: [UInt8], salt: [UInt8], parameters: ScryptParameters, outputByteCount: Int) throws(PasswordError) -> [UInt8]

    /// PBKDF2-HMAC-SHA256 (RFC 8018) of `password` with `salt`.
    /// - Throws: ``PasswordError/derivationFailed`` when the derivation fails.
    func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) throws(PasswordError) -> [UInt8]

    /// Whether `password` matches the 60-character bcrypt `hash`, whose
    /// prefix is `$2a$` or `$2b$`. The caller has already refused passwords
    /// over 72 bytes or with a NUL character.
    func bcryptVerify(password: String, hash: String) -> Bool
}
