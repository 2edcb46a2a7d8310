/// Tells whether a password is known from a data breach (ASVS-6.2.12).
///
/// A typical implementation asks a k-anonymity range API (send the first
/// five hex digits of the SHA-1, compare the returned suffixes locally);
/// tests use a fake. ``PasswordPolicy`` refuses a password when the answer
/// is `true`. The checker decides what an outage means: answering `false`
/// keeps registration open when the service is down, answering `true`
/// closes it.
public protocol BreachedPasswordChecker: Sendable {
    /// Whether `password` appears in a breach corpus.
    func isBreached(_ password: String) async -> Bool
}
