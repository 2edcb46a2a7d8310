import Crypto
import Foundation

/// Opaque refresh tokens in rotating families, with theft detection.
///
/// - Each token is 256 random bits (`tsr_` + 43 base64url characters);
///   the store keeps only its SHA-256.
/// - Each use rotates: the presented token dies and its successor is
///   returned. The successor is `HMAC(key, token)`, so it never has to be
///   stored in the clear, and presenting the same token twice within
///   ``Configuration/reuseGrace`` returns the same successor: two tabs that
///   refresh at once both carry on (the failure of Spring Security #3079).
/// - Presenting an already-rotated token after the grace window means two
///   parties hold the family: the whole family is revoked and
///   ``Failure/reuseDetected(familyID:userID:)`` reports it for auditing.
public struct RefreshTokens: Sendable {
    /// The prefix of every refresh token, for secret scanners.
    public static let prefix = "tsr_"

    /// Lifetimes and the reuse grace window.
    public struct Configuration: Sendable {
        /// How long one token lives unused.
        public var idleLifetime: TimeInterval
        /// How long a family lives from sign-in, however often it is refreshed.
        public var absoluteLifetime: TimeInterval
        /// How long after a rotation the old token still yields the same successor.
        public var reuseGrace: TimeInterval

        /// Defaults: 14 days idle, 30 days absolute, 30 seconds grace.
        public init(idleLifetime: TimeInterval = 14 * 86_400, absoluteLifetime: TimeInterval = 30 * 86_400, reuseGrace: TimeInterval = 30) {
            self.idleLifetime = idleLifetime
            self.absoluteLifetime = absoluteLifetime
            self.reuseGrace = reuseGrace
        }
    }

    /// A refresh token handed to a client, with what it stands for.
    public struct Grant: Sendable {
        /// The token, shown to the client once.
        public let token: String
        /// The stored record (no token in it).
        public let record: RefreshTokenRecord
    }

    /// Why a refresh was refused.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Unknown, malformed, expired, or of a revoked family: answer 401.
        case invalid
        /// An already-rotated token came back after the grace window; the
        /// family is now revoked. Answer 401 and audit it.
        case reuseDetected(familyID: String, userID: String)
        /// The store could not be asked: answer 503.
        case unavailable(StoreError)

        public var description: String {
            switch self {
            case .invalid: "the refresh token is not valid"
            case .reuseDetected(let family, _): "a rotated refresh token was used again; its family \(family) has been revoked"
            case .unavailable(let error): error.description
            }
        }
    }

    /// Lifetimes and grace.
    public let configuration: Configuration
    /// Where records live.
    public let store: any RefreshTokenStore
    /// Where reuse detections are recorded.
    public let audit: AuditLog
    private let successorKey: SymmetricKey
    private let clock: any WallClock
    private let random: RandomSource

    /// Refresh tokens kept in `store`; successors are derived with a sub-key of `key`.
    public init(
        configuration: Configuration = Configuration(), store: any RefreshTokenStore, key: SecretKey,
        audit: AuditLog = AuditLog(), clock: any WallClock = SystemWallClock(), random: RandomSource = .system
    ) {
        self.configuration = configuration
        self.store = store
        self.audit = audit
        self.successorKey = KeyDerivation.subKey(of: key, context: "refresh-tokens", purpose: KeyPurpose("refresh-successor"))
        self.clock = clock
        self.random = random
    }

    /// Starts a new family for `userID` (at sign-in).
    public func issue(userID: String, scope: String = "") async throws(StoreError) -> Grant {
        let now = clock.now()
        let token = Self.prefix + Base64.urlSafeEncode(random.bytes(32))
        let familyExpiresAt = now.addingTimeInterval(configuration.absoluteLifetime)
        let record = RefreshTokenRecord(
            tokenHash: Self.hash(token), familyID: Base64.urlSafeEncode(random.bytes(16)), userID: userID, generation: 0, scope: scope,
            issuedAt: now, expiresAt: min(now.addingTimeInterval(configuration.idleLifetime), familyExpiresAt), familyExpiresAt: familyExpiresAt)
        try await store.insert(record)
        return Grant(token: token, record: record)
    }

    /// Uses `token` once: returns its successor, or refuses it.
    public func rotate(_ token: String) async throws(Failure) -> Grant {
        guard Self.isWellFormed(token) else { throw .invalid }
        let now = clock.now()
        let tokenHash = Self.hash(token)
        do {
            guard let record = try await store.record(tokenHash: tokenHash), now < record.expiresAt else { throw Failure.invalid }
            if record.rotatedAt == nil, try await store.markRotated(tokenHash: tokenHash, at: now) {
                return try await successor(of: token, record: record, now: now)
            }
            // Already rotated (maybe a moment ago by a concurrent request): read when.
            guard let rotated = try await store.record(tokenHash: tokenHash), let rotatedAt = rotated.rotatedAt else { throw Failure.invalid }
            if now.timeIntervalSince(rotatedAt) <= configuration.reuseGrace {
                return try await successor(of: token, record: rotated, now: now)
            }
            _ = try await store.deleteFamily(record.familyID)
            audit.record(.refreshTokenReuseDetected(userID: record.userID, familyID: record.familyID))
            throw Failure.reuseDetected(familyID: record.familyID, userID: record.userID)
        } catch let failure as Failure {
            throw failure
        } catch let error as StoreError {
            throw .unavailable(error)
        } catch {
            throw .unavailable(.unavailable("refresh failed"))
        }
    }

    /// The successor of `token`: derived, so the grace path returns the same one.
    private func successor(of token: String, record: RefreshTokenRecord, now: Date) async throws -> Grant {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(token.utf8), using: successorKey)
        let next = Self.prefix + Base64.urlSafeEncode(Array(mac))
        let nextRecord = RefreshTokenRecord(
            tokenHash: Self.hash(next), familyID: record.familyID, userID: record.userID, generation: record.generation + 1,
            scope: record.scope, issuedAt: now, expiresAt: min(now.addingTimeInterval(configuration.idleLifetime), record.familyExpiresAt),
            familyExpiresAt: record.familyExpiresAt)
        do {
            try await store.insert(nextRecord)
            return Grant(token: next, record: nextRecord)
        } catch .duplicateKey {
            // A concurrent request with the same token inserted it first.
            guard let existing = try await store.record(tokenHash: nextRecord.tokenHash) else { throw Failure.invalid }
            return Grant(token: next, record: existing)
        }
    }

    /// Revokes the family `token` belongs to (logout on this device).
    public func revokeFamily(of token: String) async throws(StoreError) {
        guard Self.isWellFormed(token), let record = try await store.record(tokenHash: Self.hash(token)) else { return }
        _ = try await store.deleteFamily(record.familyID)
    }

    /// Revokes every family of `userID` (password change, account disabled).
    public func revokeAll(ofUser userID: String) async throws(StoreError) -> Int {
        try await store.deleteFamilies(ofUser: userID)
    }

    static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == prefix.utf8.count + 43 && token.hasPrefix(prefix)
            && Base64.decode(token.utf8.dropFirst(prefix.utf8.count), .canonicalURLSafe)?.count == 32
    }
}
