/// The answer of ``PasswordHashing/verify(_:against:)``.
///
/// Only a match says whether the stored hash is out of date: a wrong
/// password learns nothing about the stored scheme and triggers no
/// upgrade (CS-P6).
public enum PasswordVerification: Sendable, Equatable {
    /// The password is wrong.
    case mismatch
    /// The password is right. When `needsRehash` is `true` the stored hash
    /// uses an older scheme or other parameters than the hasher's current
    /// ones: hash the password again and store the new string.
    case match(needsRehash: Bool)

    /// Whether the password is right.
    public var isMatch: Bool {
        if case .match = self { true } else { false }
    }
}
