/// Why ``PasswordPolicy`` refused a new password.
///
/// ``message`` is written for the person choosing the password and never
/// repeats it, nor the context word it contained.
public enum PasswordPolicyViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer Unicode scalars (after NFC) than the minimum (ASVS-6.2.1).
    case tooShort(minimumLength: Int)
    /// More UTF-8 bytes than the maximum (ASVS-6.2.9's upper bound).
    case tooLong(maximumBytes: Int)
    /// Contains the username or another context word, ignoring case (ASVS-6.2.11).
    case containsContextWord
    /// On the list of common passwords, ignoring case (ASVS-6.2.4).
    case commonPassword
    /// The breached-password checker knows it (ASVS-6.2.12).
    case breached

    /// A sentence to show the user.
    public var message: String {
        switch self {
        case .tooShort(let minimumLength):
            "Use at least \(minimumLength) characters."
        case .tooLong(let maximumBytes):
            "This password is too long: the limit is \(maximumBytes) bytes, which is \(maximumBytes) plain ASCII characters or fewer in other scripts."
        case .containsContextWord:
            "Don't use your username or the name of this site in your password."
        case .commonPassword:
            "This password is too common. Choose one that is harder to guess."
        case .breached:
            "This password has appeared in a data breach and is not safe to use. Choose a different one."
        }
    }

    /// Same as ``message``.
    public var description: String { message }
}
