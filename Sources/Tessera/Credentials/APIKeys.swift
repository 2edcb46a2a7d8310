import Foundation

/// Creates, checks, lists and revokes API access keys.
///
/// A presented key costs one checksum (no store call for garbage), one
/// store lookup by identifier, one SHA-256 and one constant-time compare.
/// "Last used" is written at most once per ``lastUseWriteInterval``, so
/// a busy key doesn't turn every request into a write.
public struct APIKeys: Sendable {
    /// A key just created: the text is shown to its owner once, then only the record remains.
    public struct Created: Sendable {
        /// The full key. Show it once; it can't be recovered.
        public let key: String
        /// What the store keeps.
        public let record: APIKeyRecord
    }

    /// Why a presented key was refused.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a Tessera key (shape or checksum wrong): answer 401.
        case malformed
        /// No such key, or the secret doesn't match: answer 401.
        case unknown
        /// The key was revoked: answer 401.
        case revoked
        /// The key expired: answer 401.
        case expired
        /// The store could not be asked: answer 503.
        case unavailable(StoreError)

        public var description: String {
            switch self {
            case .malformed: "not a Tessera API key (tsk_…)"
            case .unknown: "unknown API key"
            case .revoked: "the API key has been revoked"
            case .expired: "the API key has expired"
            case .unavailable(let error): error.description
            }
        }
    }

    /// Where records live.
    public let store: any APIKeyStore
    /// The least time between two "last used" writes for one key.
    public let lastUseWriteInterval: TimeInterval
    /// Where key creations and revocations are recorded.
    public let audit: AuditLog
    private let clock: any WallClock
    private let random: RandomSource

    /// API keys kept in `store`.
    public init(
        store: any APIKeyStore, lastUseWriteInterval: TimeInterval = 60, audit: AuditLog = AuditLog(),
        clock: any WallClock = SystemWallClock(), random: RandomSource = .system
    ) {
        self.store = store
        self.lastUseWriteInterval = lastUseWriteInterval
        self.audit = audit
        self.clock = clock
        self.random = random
    }

    /// Makes a key for `owner`. `lifetime` `nil` means it never expires.
    public func create(owner: String, name: String, scopes: [String] = [], lifetime: TimeInterval? = nil) async throws(StoreError) -> Created {
        let now = clock.now()
        for _ in 0..<3 {
            let key = APIKey.generate(random: random)
            let record = APIKeyRecord(
                id: key.identifier, secretHash: key.secretHash, name: name, owner: owner, scopes: scopes,
                createdAt: now, expiresAt: lifetime.map { now.addingTimeInterval($0) })
            do {
                try await store.insert(record)
                audit.record(.apiKeyCreated(owner: owner, keyID: record.id))
                return Created(key: key.text, record: record)
            } catch .duplicateKey {
                continue
            }
        }
        throw .unavailable("could not find a free API key identifier")
    }

    /// Checks a presented key and returns its record.
    public func authenticate(_ presented: String) async throws(Failure) -> APIKeyRecord {
        guard let key = APIKey(presented) else { throw .malformed }
        let now = clock.now()
        var record: APIKeyRecord
        do {
            guard let found = try await store.record(id: key.identifier) else { throw Failure.unknown }
            record = found
        } catch let failure as Failure {
            throw failure
        } catch let error as StoreError {
            throw .unavailable(error)
        } catch {
            throw .unavailable(.unavailable("lookup failed"))
        }
        guard constantTimeEquals(record.secretHash, key.secretHash) else { throw .unknown }
        if record.revokedAt != nil { throw .revoked }
        if let expiresAt = record.expiresAt, now >= expiresAt { throw .expired }
        if record.lastUsedAt.map({ now.timeIntervalSince($0) >= lastUseWriteInterval }) ?? true {
            // Best effort: a failed bookkeeping write must not fail a good request.
            try? await store.recordUse(id: record.id, at: now)
            record.lastUsedAt = now
        }
        return record
    }

    /// Every key of `owner` (records only; keys can't be shown again).
    public func keys(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord] {
        try await store.records(ofOwner: owner)
    }

    /// Revokes key `id` if it belongs to `owner`; `false` otherwise.
    public func revoke(id: String, ofOwner owner: String) async throws(StoreError) -> Bool {
        let revoked = try await store.revoke(id: id, ofOwner: owner, at: clock.now())
        if revoked { audit.record(.apiKeyRevoked(owner: owner, keyID: id)) }
        return revoked
    }

    /// Revokes every key of `owner`; returns how many.
    public func revokeAll(ofOwner owner: String) async throws(StoreError) -> Int {
        let count = try await store.revokeAll(ofOwner: owner, at: clock.now())
        if count > 0 { audit.record(.apiKeyRevoked(owner: owner, keyID: "*")) }
        return count
    }
}
