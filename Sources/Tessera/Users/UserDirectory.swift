/// The ``CredentialDirectory`` of a ``UserStore``: what ``PasswordLogin``
/// asks to find a user by login name.
///
/// A name that is not an acceptable ``Username``, an unknown one, a
/// disabled account and an account with no password all come back as
/// `nil`, so the login answers all four exactly like a wrong password.
public struct UserDirectory: CredentialDirectory {
    /// The accounts.
    public let store: any UserStore

    /// A directory over `store`.
    public init(store: any UserStore) {
        self.store = store
    }

    public func passwordCredential(forLogin login: String) async throws(StoreError) -> PasswordCredential? {
        guard let username = Username(login), let user = try await store.user(named: username),
              !user.disabled, let hash = user.passwordHash else { return nil }
        return PasswordCredential(userID: user.id, passwordHash: hash)
    }

    public func replacePasswordHash(ofUser userID: String, with hash: String) async throws(StoreError) {
        _ = try await store.setPasswordHash(ofUser: userID, to: hash)
    }
}
