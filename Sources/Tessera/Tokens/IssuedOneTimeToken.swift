import Foundation

/// A one-time token just issued: send ``token`` to its owner (in a link),
/// once; the store keeps only its hash.
public struct IssuedOneTimeToken: Sendable {
    /// The token, `tso_` + 43 base62 characters. Never log or store it.
    public let token: String
    /// What the token is for.
    public let purpose: OneTimeTokenPurpose
    /// Whom it was issued to.
    public let subject: String
    /// When it stops working; say so in the message that carries it.
    public let expiresAt: Date
}
