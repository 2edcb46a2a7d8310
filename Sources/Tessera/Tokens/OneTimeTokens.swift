import Crypto
import Foundation

/// Single-use secrets sent to a user out of band: password-reset,
/// account-activation and e-mail verification links (ASVS 6.4.1).
///
/// - Each token is 256 random bits (`tso_` + 43 base62 characters) from
///   the system CSPRNG; the store keeps only its SHA-256.
/// - Each token works once: redeeming deletes it in the same store
///   operation that finds it, so of two servers presenting it at once
///   exactly one succeeds.
/// - Each token works only for the purpose it was issued for, and only
///   until its lifetime (``Configuration``) runs out.
/// - Issuing a token replaces the subject's earlier tokens of the same
///   purpose, unless asked not to.
///
/// ```swift
/// let tokens = OneTimeTokens(store: storage.oneTimeTokens)
/// let issued = try await tokens.issue(for: userID, purpose: .passwordReset)
/// try await mailer.send(to: address, body: "https://example.com/reset?token=\(issued.token)")
/// // Later, when the link's form is posted back with the new password:
/// switch await tokens.redeem(postedToken, purpose: .passwordReset) {
/// case .redeemed(let userID): try await setPassword(of: userID, to: newPassword)
/// case .rejected, .expired: showInvalidLinkPage()   // the same page for both
/// case .unavailable: answer503()
/// }
/// ```
public struct OneTimeTokens: Sendable {
    /// The prefix of every one-time token, for secret scanners.
    public static let prefix = "tso_"
    /// A regular expression matching a one-time token.
    public static let pattern = "tso_[0-9A-Za-z]{43}"
    static let bodyLength = 43
    /// The full length of a token.
    public static let length = prefix.utf8.count + bodyLength

    /// How long tokens of each purpose live.
    public struct Configuration: Sendable {
        /// The lifetimes of the built-in purposes: a password reset 30
        /// minutes, an e-mail verification 24 hours, an account activation 48 hours.
        public static let standardLifetimes: [OneTimeTokenPurpose: TimeInterval] = [
            .passwordReset: 30 * 60,
            .emailVerification: 24 * 3_600,
            .accountActivation: 48 * 3_600,
        ]

        /// The lifetime of each purpose listed.
        public var lifetimes: [OneTimeTokenPurpose: TimeInterval]
        /// The lifetime of a purpose not in ``lifetimes``.
        public var defaultLifetime: TimeInterval

        /// Defaults: ``standardLifetimes``, and 30 minutes for any other purpose.
        public init(lifetimes: [OneTimeTokenPurpose: TimeInterval] = standardLifetimes, defaultLifetime: TimeInterval = 30 * 60) {
            self.lifetimes = lifetimes
            self.defaultLifetime = defaultLifetime
        }

        /// How long a token for `purpose` lives.
        public func lifetime(for purpose: OneTimeTokenPurpose) -> TimeInterval {
            lifetimes[purpose] ?? defaultLifetime
        }
    }

    /// Lifetimes per purpose.
    public let configuration: Configuration
    /// Where records live.
    public let store: any OneTimeTokenStore
    /// Where issues, redemptions and rejections are recorded.
    public let audit: AuditLog
    private let clock: any WallClock
    private let random: RandomSource

    /// One-time tokens kept in `store`.
    public init(
        configuration: Configuration = Configuration(), store: any OneTimeTokenStore, audit: AuditLog = AuditLog(),
        clock: any WallClock = SystemWallClock(), random: RandomSource = .system
    ) {
        self.configuration = configuration
        self.store = store
        self.audit = audit
        self.clock = clock
        self.random = random
    }

    /// Issues a token for `subject` (a user ID) to be sent to them once.
    ///
    /// - Parameters:
    ///   - lifetime: overrides the configured lifetime of `purpose`; it must
    ///     be positive and finite (anything else is a programming error).
    ///   - replacingEarlier: deletes the subject's earlier tokens of
    ///     `purpose` first, so only the newest link works.
    ///   - address: the client's address, for the audit log.
    public func issue(
        for subject: String, purpose: OneTimeTokenPurpose, lifetime: TimeInterval? = nil, replacingEarlier: Bool = true,
        client address: String? = nil
    ) async throws(StoreError) -> IssuedOneTimeToken {
        let lifetime = lifetime ?? configuration.lifetime(for: purpose)
        precondition(lifetime > 0 && lifetime.isFinite, "a one-time token lifetime must be positive and finite")
        let now = clock.now()
        let token = Self.prefix + Base62.encode(random.bytes(32), width: Self.bodyLength)
        let record = OneTimeTokenRecord(
            tokenHash: Self.hash(token), purpose: purpose, subject: subject, issuedAt: now, expiresAt: now.addingTimeInterval(lifetime))
        if replacingEarlier { _ = try await store.deleteAll(subject: subject, purpose: purpose) }
        try await store.insert(record)
        audit.record(.oneTimeTokenIssued(userID: subject, purpose: purpose), client: address)
        return IssuedOneTimeToken(token: token, purpose: purpose, subject: subject, expiresAt: record.expiresAt)
    }

    /// Uses `token` up for `purpose`. A malformed token is refused without a
    /// store call; any token found is deleted, even an expired one.
    public func redeem(_ token: String, purpose: OneTimeTokenPurpose, client address: String? = nil) async -> OneTimeTokenRedemption {
        guard Self.isWellFormed(token) else {
            audit.record(.oneTimeTokenRejected(userID: nil, purpose: purpose, reason: OneTimeTokenRedemption.Rejection.malformed.rawValue), client: address)
            return .rejected(.malformed)
        }
        let now = clock.now()
        let found: OneTimeTokenRecord?
        do {
            found = try await store.consume(tokenHash: Self.hash(token), purpose: purpose)
        } catch {
            return .unavailable(error)
        }
        guard let record = found else {
            audit.record(.oneTimeTokenRejected(userID: nil, purpose: purpose, reason: OneTimeTokenRedemption.Rejection.unknown.rawValue), client: address)
            return .rejected(.unknown)
        }
        guard now < record.expiresAt else {
            audit.record(.oneTimeTokenRejected(userID: record.subject, purpose: purpose, reason: "expired"), client: address)
            return .expired
        }
        audit.record(.oneTimeTokenRedeemed(userID: record.subject, purpose: purpose), client: address)
        return .redeemed(subject: record.subject)
    }

    /// Deletes every outstanding token of `subject` for `purpose`; returns how
    /// many. Call it with ``OneTimeTokenPurpose/passwordReset`` when the
    /// password changes, so an old reset link can't undo the change.
    public func revokeAll(ofSubject subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int {
        try await store.deleteAll(subject: subject, purpose: purpose)
    }

    static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    static func isWellFormed(_ token: String) -> Bool {
        let utf8 = token.utf8
        return utf8.count == length && utf8.starts(with: prefix.utf8) && utf8.dropFirst(prefix.utf8.count).allSatisfy(Base62.isDigit)
    }
}
