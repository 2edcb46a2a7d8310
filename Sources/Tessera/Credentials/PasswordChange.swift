/// What a password change came to.
public enum PasswordChangeOutcome: Sendable, Equatable {
    /// The new hash is stored. End the user's other sessions now if they asked
    /// (``SessionManager/passwordChanged(_:terminateOthers:)``), and their refresh tokens;
    /// delete their reset tokens (``OneTimeTokens/revokeAll(ofSubject:purpose:)``).
    case changed
    /// The current password was wrong (or the user is unknown); nothing changed.
    case currentPasswordWrong
    /// The new password breaks the policy; show ``PasswordPolicyViolation/message``.
    case rejected(PasswordPolicyViolation)
    /// Too many wrong current passwords: answer 429 with `Retry-After`.
    case throttled(retryAfter: Int)
    /// A store or the thread pool failed; nothing changed.
    case unavailable
}

extension PasswordLogin {
    /// Changes the password of `login`: the current password must be given
    /// and right (ASVS 6.2.2, 6.2.3), and the new one must pass `policy`.
    /// A wrong current password counts as a failed login for throttling.
    public func changePassword(login: String, current: String, new: String, policy: PasswordPolicy, address: String) async -> PasswordChangeOutcome {
        switch await attempt(login: login, password: current, address: address) {
        case .succeeded(let userID):
            do {
                try await policy.validate(new, username: login)
            } catch {
                return .rejected(error)
            }
            do {
                let hash = try await hasher.hash(new)
                try await directory.replacePasswordHash(ofUser: userID, with: hash)
                return .changed
            } catch {
                return .unavailable
            }
        case .failed, .rejected:
            return .currentPasswordWrong
        case .throttled(let wait):
            return .throttled(retryAfter: wait)
        case .unavailable:
            return .unavailable
        }
    }
}
