/// A security-relevant event. Events carry identifiers (user IDs, key
/// identifiers, token families, reason codes), never a secret, password,
/// token or session ID.
public enum AuditEvent: Sendable, Equatable {
    /// A login succeeded.
    case loginSucceeded(userID: String, method: String)
    /// A login failed. `reason` is a code (`unknown_user`, `wrong_password`, …);
    /// the attempted account name is not logged, since users type passwords into it.
    case loginFailed(reason: String)
    /// A login was refused by throttling.
    case loginThrottled(retryAfter: Int)
    /// A user logged out.
    case loggedOut(userID: String)
    /// A session's ID was rotated (login, step-up, privilege change).
    case sessionRotated(userID: String?)
    /// Sessions were revoked.
    case sessionsRevoked(userID: String?, count: Int)
    /// A rotated refresh token was used again; its family was revoked.
    case refreshTokenReuseDetected(userID: String, familyID: String)
    /// An access token was revoked by `jti`.
    case accessTokenRevoked(userID: String?)
    /// A one-time token (reset, activation, verification link) was issued.
    case oneTimeTokenIssued(userID: String, purpose: OneTimeTokenPurpose)
    /// A one-time token was redeemed and is now used up.
    case oneTimeTokenRedeemed(userID: String, purpose: OneTimeTokenPurpose)
    /// A one-time token was refused. `reason` is a code (`malformed`,
    /// `unknown`, `expired`); the user is known only for an expired token.
    case oneTimeTokenRejected(userID: String?, purpose: OneTimeTokenPurpose, reason: String)
    /// An API key was created.
    case apiKeyCreated(owner: String, keyID: String)
    /// An API key was revoked.
    case apiKeyRevoked(owner: String, keyID: String)
    /// A signing key was added to or retired from a key ring.
    case signingKeyChanged(keyID: String, added: Bool)
    /// A request was refused by CSRF protection. `code` says which check failed.
    case csrfRejected(code: String)
    /// A session cookie named no session this server issued (`unknown`)
    /// or was not shaped like one (`malformed`): a stale cookie, or
    /// someone guessing IDs. The cookie's value is never recorded.
    case sessionCookieRefused(reason: String)
    /// A password was re-hashed to the current scheme on login.
    case passwordRehashed(userID: String)
    /// An account was created.
    case userCreated(userID: String)
    /// An account was disabled; everything it held was revoked.
    case userDisabled(userID: String)
    /// A user changed their password (or an administrator set it).
    case passwordChanged(userID: String)

    /// The event's stable name: the `event` field of the log line and the metric dimension.
    public var name: String {
        switch self {
        case .loginSucceeded: "login.succeeded"
        case .loginFailed: "login.failed"
        case .loginThrottled: "login.throttled"
        case .loggedOut: "logout"
        case .sessionRotated: "session.rotated"
        case .sessionsRevoked: "session.revoked"
        case .refreshTokenReuseDetected: "refresh_token.reuse_detected"
        case .accessTokenRevoked: "access_token.revoked"
        case .oneTimeTokenIssued: "one_time_token.issued"
        case .oneTimeTokenRedeemed: "one_time_token.redeemed"
        case .oneTimeTokenRejected: "one_time_token.rejected"
        case .apiKeyCreated: "api_key.created"
        case .apiKeyRevoked: "api_key.revoked"
        case .signingKeyChanged: "signing_key.changed"
        case .csrfRejected: "csrf.rejected"
        case .sessionCookieRefused: "session.cookie_refused"
        case .passwordRehashed: "password.rehashed"
        case .userCreated: "user.created"
        case .userDisabled: "user.disabled"
        case .passwordChanged: "password.changed"
        }
    }

    /// The fields logged with the event.
    public var fields: [(String, String)] {
        switch self {
        case .loginSucceeded(let user, let method): [("user", user), ("method", method)]
        case .loginFailed(let reason): [("reason", reason)]
        case .loginThrottled(let retryAfter): [("retry_after", String(retryAfter))]
        case .loggedOut(let user): [("user", user)]
        case .sessionRotated(let user): user.map { [("user", $0)] } ?? []
        case .sessionsRevoked(let user, let count): (user.map { [("user", $0)] } ?? []) + [("count", String(count))]
        case .refreshTokenReuseDetected(let user, let family): [("user", user), ("family", family)]
        case .accessTokenRevoked(let user): user.map { [("user", $0)] } ?? []
        case .oneTimeTokenIssued(let user, let purpose), .oneTimeTokenRedeemed(let user, let purpose):
            [("user", user), ("purpose", purpose.rawValue)]
        case .oneTimeTokenRejected(let user, let purpose, let reason):
            (user.map { [("user", $0)] } ?? []) + [("purpose", purpose.rawValue), ("reason", reason)]
        case .apiKeyCreated(let owner, let key), .apiKeyRevoked(let owner, let key): [("user", owner), ("key", key)]
        case .signingKeyChanged(let key, let added): [("key", key), ("change", added ? "added" : "retired")]
        case .csrfRejected(let code): [("code", code)]
        case .sessionCookieRefused(let reason): [("reason", reason)]
        case .passwordRehashed(let user), .userCreated(let user), .userDisabled(let user), .passwordChanged(let user): [("user", user)]
        }
    }

    /// Failures and detections are warnings; the rest is routine.
    public var isWarning: Bool {
        switch self {
        case .loginFailed, .loginThrottled, .refreshTokenReuseDetected, .oneTimeTokenRejected, .csrfRejected, .sessionCookieRefused: true
        default: false
        }
    }
}
