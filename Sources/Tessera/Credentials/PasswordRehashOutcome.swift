/// The answer of ``PasswordHashing/verifyAndRehash(_:against:)``: a
/// verification that, on a match with an out-of-date hash, already holds
/// the replacement to store (CS-P6).
public enum PasswordRehashOutcome: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The password is wrong; nothing was hashed.
    case mismatch
    /// The password is right. `replacement` is a new stored string with the
    /// current scheme and parameters when the old one was out of date, and
    /// `nil` when the stored hash is current.
    case match(replacement: String?)

    /// Whether the password is right.
    public var isMatch: Bool {
        if case .match = self { true } else { false }
    }

    /// A redacted description: whether it matched and whether a replacement
    /// exists, never the replacement itself.
    public var description: String {
        switch self {
        case .mismatch: "mismatch"
        case .match(let replacement): replacement == nil ? "match" : "match (replacement hash redacted)"
        }
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// No children, so `dump` shows no hash either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
