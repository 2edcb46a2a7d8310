import Foundation

/// What a store keeps about one API access key: never the key itself.
///
/// The secret half of a key has 256 bits of entropy, so a fast SHA-256 is
/// the right way to keep it (ASVS 6.5.2): a password hasher would make
/// every API call slow and add nothing against guessing.
public struct APIKeyRecord: Sendable, Equatable {
    /// The public identifier: the part of the key between `tsk_` and the
    /// second `_`. Safe to show and to log.
    public var id: String
    /// SHA-256 of the secret part of the key (32 bytes).
    public var secretHash: [UInt8]
    /// A label the owner chose ("deploy bot").
    public var name: String
    /// The user the key acts for.
    public var owner: String
    /// What the key may do; checked by the application.
    public var scopes: [String]
    /// When the key was made.
    public var createdAt: Date
    /// When the key stops working, if ever.
    public var expiresAt: Date?
    /// When the key was last accepted, to the precision of the throttled write.
    public var lastUsedAt: Date?
    /// When the key was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        id: String, secretHash: [UInt8], name: String, owner: String, scopes: [String],
        createdAt: Date, expiresAt: Date? = nil, lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.secretHash = secretHash
        self.name = name
        self.owner = owner
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key is neither revoked nor expired at `date`.
    public func isActive(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { date < $0 } ?? true)
    }
}
