import Foundation

/// What a store keeps about one refresh token: never the token itself.
///
/// Tokens come in families: the first one is issued at sign-in, and each
/// use rotates it into the next generation. All generations share the
/// family's absolute expiry, so refreshing can't keep a family alive forever.
public struct RefreshTokenRecord: Sendable, Equatable {
    /// SHA-256 of the token (32 bytes): the lookup key.
    public var tokenHash: [UInt8]
    /// The family's identifier: random, public, safe to log.
    public var familyID: String
    /// The user the family belongs to.
    public var userID: String
    /// 0 for the token issued at sign-in, then 1, 2, … for each rotation.
    public var generation: Int
    /// The scope granted at sign-in, carried to every access token the family mints.
    public var scope: String
    /// When this token was issued.
    public var issuedAt: Date
    /// When this token stops working (at most ``familyExpiresAt``).
    public var expiresAt: Date
    /// When the whole family stops working.
    public var familyExpiresAt: Date
    /// When this token was used and rotated; `nil` while it is the live one.
    public var rotatedAt: Date?

    /// Creates a record.
    public init(
        tokenHash: [UInt8], familyID: String, userID: String, generation: Int, scope: String,
        issuedAt: Date, expiresAt: Date, familyExpiresAt: Date, rotatedAt: Date? = nil
    ) {
        self.tokenHash = tokenHash
        self.familyID = familyID
        self.userID = userID
        self.generation = generation
        self.scope = scope
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.familyExpiresAt = familyExpiresAt
        self.rotatedAt = rotatedAt
    }
}
