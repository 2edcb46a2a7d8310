/// What presenting a one-time token came to.
///
/// Only ``redeemed(subject:)`` lets the action go ahead. Show the user the
/// same message for ``rejected(_:)`` and ``expired`` ("this link is invalid
/// or has expired"); the ``Rejection`` is for logs.
public enum OneTimeTokenRedemption: Sendable, Equatable {
    /// The token was good and is now used up: act for `subject`.
    case redeemed(subject: String)
    /// The token is not a live token of this purpose. Answer as for any bad link.
    case rejected(Rejection)
    /// The token was issued but its time ran out; it is now used up too.
    case expired
    /// The store could not be asked: answer 503 and let the user try again.
    /// Nothing was redeemed.
    case unavailable(StoreError)

    /// Why a token was rejected: for logs only, never for the user (they'd
    /// learn which strings are live tokens of other purposes).
    public enum Rejection: String, Sendable, Equatable {
        /// Not a Tessera one-time token (wrong prefix, length or alphabet);
        /// refused without a store call.
        case malformed
        /// Well formed, but unknown, already used, replaced by a newer token,
        /// or issued for another purpose.
        case unknown
    }
}
