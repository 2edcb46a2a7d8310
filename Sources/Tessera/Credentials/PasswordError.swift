/// Why a password could not be hashed or checked.
///
/// No case carries the password or the stored hash, and no ``description``
/// repeats either, so an error that reaches a log line leaks neither. A
/// stored hash is untrusted input: every way it can be wrong ends here as a
/// case, never as a crash and never as a match.
public enum PasswordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The password is longer than the hasher accepts; it was not hashed
    /// (a guard against long-password denial of service, CS-P9).
    case tooLong(maximumBytes: Int)
    /// The stored hash is bcrypt, which reads at most 72 bytes of a
    /// password, and this password is longer. Tessera refuses rather than
    /// compare a silently truncated password (CS-P3, ASVS-6.2.8).
    case tooLongForBcrypt
    /// The stored hash is bcrypt, whose C implementation stops at the first
    /// NUL character, and this password contains one. Refused for the same
    /// reason as ``tooLongForBcrypt``: the rest would be ignored.
    case nulCharacterForBcrypt
    /// The stored string names a known scheme but is not a valid hash of
    /// it (bad field count, bad base64, non-canonical number, wrong length).
    case malformedHash
    /// The stored string's parameters are outside the bounds Tessera will
    /// spend memory or time on (for example a scrypt cost that would need
    /// gigabytes, or a bcrypt cost above the hasher's limit).
    case parametersOutOfRange
    /// The stored string is not a scheme Tessera can verify. Verification
    /// fails closed: such a hash never matches.
    case unsupportedScheme
    /// The thread pool that runs key derivation is shut down or refused the
    /// work, so nothing was checked.
    case threadPoolUnavailable
    /// The task was cancelled before the key derivation ran.
    case cancelled
    /// The key-derivation function itself reported a failure.
    case derivationFailed

    /// A message for logs and operators, without the password or the hash.
    public var description: String {
        switch self {
        case .tooLong(let maximumBytes):
            "the password is longer than \(maximumBytes) bytes in UTF-8 and was not hashed"
        case .tooLongForBcrypt:
            "the stored hash is bcrypt, which reads at most \(PasswordHasher.bcryptMaximumPasswordBytes) bytes, and the password is longer; it was refused rather than truncated"
        case .nulCharacterForBcrypt:
            "the stored hash is bcrypt, which stops at a NUL character, and the password contains one; it was refused rather than truncated"
        case .malformedHash:
            "the stored password hash is malformed"
        case .parametersOutOfRange:
            "the stored password hash has parameters outside the accepted bounds"
        case .unsupportedScheme:
            "the stored password hash uses a scheme Tessera cannot verify"
        case .threadPoolUnavailable:
            "the thread pool for password hashing is not running"
        case .cancelled:
            "password hashing was cancelled"
        case .derivationFailed:
            "the password key-derivation function failed"
        }
    }
}
