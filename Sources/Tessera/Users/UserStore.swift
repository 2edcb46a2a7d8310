/// Where user accounts live: memory, SQLite, PostgreSQL or your own.
///
/// Each method is one round trip and atomic on its own. An unreachable
/// backend throws ``StoreError/unavailable(_:)``; nobody logs in meanwhile.
public protocol UserStore: Sendable {
    /// Files a new account. Throws ``StoreError/duplicateKey`` if the ID or
    /// the login name is taken.
    func insert(_ record: UserRecord) async throws(StoreError)

    /// Files `record` only if the store holds no account at all; `false`
    /// when it holds one. Two servers starting at once on one empty
    /// database create one first account between them, not two.
    func insertFirst(_ record: UserRecord) async throws(StoreError) -> Bool

    /// The account with login name `username`, or `nil`.
    func user(named username: Username) async throws(StoreError) -> UserRecord?

    /// The account with ID `id`, or `nil`.
    func user(id: String) async throws(StoreError) -> UserRecord?

    /// Every account, by login name.
    func users() async throws(StoreError) -> [UserRecord]

    /// Replaces the password hash of the account `id`; `false` if there is none.
    func setPasswordHash(ofUser id: String, to hash: String) async throws(StoreError) -> Bool

    /// Disables or enables the account `id`; `false` if there is none.
    func setDisabled(ofUser id: String, _ disabled: Bool) async throws(StoreError) -> Bool
}
