import Foundation

/// What a store keeps about one one-time token: never the token itself.
public struct OneTimeTokenRecord: Sendable, Equatable {
    /// SHA-256 of the whole token text (32 bytes): the lookup key.
    public var tokenHash: [UInt8]
    /// What the token is for; a lookup must name it.
    public var purpose: OneTimeTokenPurpose
    /// Whom the token was issued to (a user ID).
    public var subject: String
    /// When the token was issued.
    public var issuedAt: Date
    /// When the token stops working.
    public var expiresAt: Date

    /// Creates a record.
    public init(tokenHash: [UInt8], purpose: OneTimeTokenPurpose, subject: String, issuedAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.purpose = purpose
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
