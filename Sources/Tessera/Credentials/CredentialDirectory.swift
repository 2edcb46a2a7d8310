/// Where password logins look users up: the application's user table.
///
/// Tessera's server keeps one in its store; a library user adapts their own.
public protocol CredentialDirectory: Sendable {
    /// The user a login name belongs to, with their stored password hash
    /// (`nil` if there is no such user, or the user may not log in by password).
    func passwordCredential(forLogin login: String) async throws(StoreError) -> PasswordCredential?

    /// Replaces the stored hash of `userID` (a re-hash on login, or a password change).
    func replacePasswordHash(ofUser userID: String, with hash: String) async throws(StoreError)
}

/// A user's password credential as a ``CredentialDirectory`` stores it.
public struct PasswordCredential: Sendable, Equatable {
    /// The stable user ID (not the login name).
    public var userID: String
    /// The stored hash string (`$scrypt$…`, `pbkdf2_sha256$…`, `$2b$…`).
    public var passwordHash: String

    /// A credential.
    public init(userID: String, passwordHash: String) {
        self.userID = userID
        self.passwordHash = passwordHash
    }
}
