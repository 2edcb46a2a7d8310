/// What a login or registration flow needs from a password hasher.
///
/// ``PasswordHasher`` is the implementation; the protocol exists so a flow
/// can be tested with a wrapper that counts calls (the counting-hasher
/// pattern of Django's `test_authentication_timing`, ASVS-6.3.8).
public protocol PasswordHashing: Sendable {
    /// A new stored string for `password` with the current scheme and parameters.
    /// - Throws: ``PasswordError/tooLong(maximumBytes:)`` before any hashing,
    ///   and the thread-pool or derivation errors.
    func hash(_ password: String) async throws(PasswordError) -> String

    /// Checks `password` against a stored string.
    /// - Returns: ``PasswordVerification/mismatch`` or a match that says
    ///   whether to store a fresh hash.
    /// - Throws: ``PasswordError`` when the password is too long, or the
    ///   stored string is malformed, out of bounds or of an unknown scheme
    ///   (never a match), or the work could not run.
    func verify(_ password: String, against stored: String) async throws(PasswordError) -> PasswordVerification

    /// Spends the same work as ``verify(_:against:)`` on a current hash, for
    /// a login whose user does not exist, so the response does not reveal
    /// that (ASVS-6.3.8). The result is discarded.
    /// - Throws: the same length, thread-pool and derivation errors as
    ///   ``verify(_:against:)``.
    func verifyDummy(_ password: String) async throws(PasswordError)
}

extension PasswordHashing {
    /// Verifies, then on a match with an out-of-date stored hash hashes the
    /// password again with the current scheme (CS-P6). A wrong password
    /// hashes nothing.
    public func verifyAndRehash(_ password: String, against stored: String) async throws(PasswordError) -> PasswordRehashOutcome {
        switch try await verify(password, against: stored) {
        case .mismatch:
            return .mismatch
        case .match(needsRehash: false):
            return .match(replacement: nil)
        case .match(needsRehash: true):
            return .match(replacement: try await hash(password))
        }
    }
}
