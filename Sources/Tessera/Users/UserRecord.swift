import Foundation

/// One user account as a ``UserStore`` keeps it.
public struct UserRecord: Sendable, Equatable {
    /// The stable ID (`usr_` + 22 base62 characters): what sessions, API
    /// keys and tokens name, so a login name can't be reused to inherit them.
    public var id: String
    /// The login name.
    public var username: Username
    /// The stored password hash (`$scrypt$…`), or `nil` for an account
    /// that can't log in by password.
    public var passwordHash: String?
    /// Whether the account is disabled: no login, and every credential of
    /// it is refused.
    public var disabled: Bool
    /// When the account was created.
    public var createdAt: Date

    /// A record.
    public init(id: String, username: Username, passwordHash: String?, disabled: Bool = false, createdAt: Date) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// A fresh random user ID (128 bits).
    public static func newID(random: RandomSource = .system) -> String {
        "usr_" + Base62.encode(random.bytes(16), width: 22)
    }
}
