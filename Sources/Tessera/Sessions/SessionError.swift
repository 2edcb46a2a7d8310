import Foundation

/// What went wrong with a session, in words fit for a log line or an
/// operator: no message contains a session ID or a secret.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store failed or can't be reached. Answer 503: the request must
    /// not go on as anonymous (fail closed).
    case storeUnavailable(StoreError)
    /// The user already has the most sessions allowed and the policy is
    /// ``SessionConfiguration/SessionLimitPolicy/refuseNew``.
    case tooManySessions(limit: Int)
    /// The session was authenticated too long ago for this operation; ask
    /// the user to confirm their password (step-up) and retry.
    case reauthenticationRequired(maximumAge: TimeInterval)
    /// The request is not signed in.
    case notAuthenticated
    /// So many requests raced on one session that a save kept losing.
    case saveContention(attempts: Int)
    /// A value could not be encoded or decoded as the key's type.
    case valueCoding(key: String, reason: String)
    /// Stored session data could not be read.
    case corruptSession(String)
    /// The sealed session no longer fits in the cookies allowed.
    case sessionTooLarge(String)
    /// This kind of storage can't do that (listing sealed-cookie sessions).
    case unsupported(String)
    /// An argument was refused (an empty user ID, say).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .storeUnavailable(let error):
            "\(error); the request was refused rather than treated as signed out"
        case .tooManySessions(let limit):
            "this account already has \(limit) active sessions: sign out elsewhere first"
        case .reauthenticationRequired(let maximumAge):
            "this action needs a sign-in from the last \(Int(maximumAge)) seconds: confirm your password and retry"
        case .notAuthenticated:
            "not signed in"
        case .saveContention(let attempts):
            "the session changed under \(attempts) save attempts in a row; retry the request"
        case .valueCoding(let key, let reason):
            "session value \"\(SafeText.printable(key))\" could not be coded: \(reason)"
        case .corruptSession(let reason):
            "stored session data is unreadable: \(reason)"
        case .sessionTooLarge(let reason):
            "the session is too large for its cookies: \(reason); store less in it or use a server-side store"
        case .unsupported(let reason):
            reason
        case .invalidArgument(let reason):
            reason
        }
    }
}
