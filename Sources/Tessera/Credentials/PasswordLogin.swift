/// What a password login attempt came to.
public enum LoginOutcome: Sendable, Equatable {
    /// The password matched: start (rotate) the session for `userID`.
    case succeeded(userID: String)
    /// Wrong password, unknown user, or an unusable stored hash: the same
    /// answer for all three, so the response can't tell them apart.
    case failed
    /// Too many failures: answer 429 with `Retry-After: retryAfter`.
    case throttled(retryAfter: Int)
    /// The password is longer than the hasher accepts: answer 400 with this message.
    case rejected(PasswordError)
    /// A store or the thread pool failed: answer 503; nothing was let through.
    case unavailable
}

/// A password login, end to end: throttling, lookup, a constant amount of
/// hashing work, re-hashing old hashes, and audit events.
///
/// Every attempt that reaches the hasher costs exactly one key derivation,
/// whether the user exists or not (the hasher verifies against a dummy hash
/// for unknown users), so neither the answer nor the work tells an attacker
/// which login names exist (ASVS 6.3.8).
public struct PasswordLogin: Sendable {
    /// Hashes and verifies.
    public let hasher: any PasswordHashing
    /// Finds users.
    public let directory: any CredentialDirectory
    /// Slows repeated failures, if set.
    public let throttle: LoginThrottle?
    /// Where events go.
    public let audit: AuditLog

    /// A login flow.
    public init(hasher: any PasswordHashing, directory: any CredentialDirectory, throttle: LoginThrottle? = nil, audit: AuditLog = AuditLog()) {
        self.hasher = hasher
        self.directory = directory
        self.throttle = throttle
        self.audit = audit
    }

    /// Checks `password` for `login`, coming from client `address`.
    public func attempt(login: String, password: String, address: String) async -> LoginOutcome {
        do {
            if let throttle, case .throttled(let wait) = try await throttle.check(account: login, address: address) {
                audit.record(.loginThrottled(retryAfter: wait), client: address)
                return .throttled(retryAfter: wait)
            }
            guard let credential = try await directory.passwordCredential(forLogin: login) else {
                try await hasher.verifyDummy(password)
                return try await fail("unknown_user", login: login, address: address)
            }
            let outcome: PasswordRehashOutcome
            do {
                outcome = try await hasher.verifyAndRehash(password, against: credential.passwordHash)
            } catch .malformedHash, .unsupportedScheme, .parametersOutOfRange {
                return try await fail("unusable_hash", login: login, address: address)
            } catch .tooLongForBcrypt, .nulCharacterForBcrypt {
                // Only a bcrypt user can get these; answering differently would tell
                // an attacker the account exists and how its password is stored.
                return try await fail("password_unusable_with_bcrypt", login: login, address: address)
            }
            guard case .match(let replacement) = outcome else {
                return try await fail("wrong_password", login: login, address: address)
            }
            if let replacement {
                try await directory.replacePasswordHash(ofUser: credential.userID, with: replacement)
                audit.record(.passwordRehashed(userID: credential.userID), client: address)
            }
            try await throttle?.recordSuccess(account: login, address: address)
            audit.record(.loginSucceeded(userID: credential.userID, method: "password"), client: address)
            return .succeeded(userID: credential.userID)
        } catch let error as PasswordError {
            switch error {
            case .tooLong:
                audit.record(.loginFailed(reason: "password_rejected"), client: address)
                return .rejected(error)
            default:
                return .unavailable
            }
        } catch {
            return .unavailable
        }
    }

    private func fail(_ reason: String, login: String, address: String) async throws(StoreError) -> LoginOutcome {
        audit.record(.loginFailed(reason: reason), client: address)
        try await throttle?.recordFailure(account: login, address: address)
        return .failed
    }
}
