import Foundation
import Synchronization

/// API key records in this process's memory: for one server, tests and development.
public final class MemoryAPIKeyStore: APIKeyStore {
    /// The most records the store holds; inserting beyond it throws ``StoreError/capacityExceeded(limit:)``.
    public let capacity: Int
    private let records = Mutex<[String: APIKeyRecord]>([:])

    /// Creates an empty store holding at most `capacity` keys.
    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    public func insert(_ record: APIKeyRecord) async throws(StoreError) {
        try records.withLock { (records) throws(StoreError) in
            guard records[record.id] == nil else { throw .duplicateKey }
            guard records.count < capacity else { throw .capacityExceeded(limit: capacity) }
            records[record.id] = record
        }
    }

    public func record(id: String) async throws(StoreError) -> APIKeyRecord? {
        records.withLock { $0[id] }
    }

    public func records(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord] {
        records.withLock { records in
            records.values.filter { $0.owner == owner }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    public func revoke(id: String, ofOwner owner: String, at date: Date) async throws(StoreError) -> Bool {
        records.withLock { records in
            guard var record = records[id], record.owner == owner, record.revokedAt == nil else { return false }
            record.revokedAt = date
            records[id] = record
            return true
        }
    }

    public func revokeAll(ofOwner owner: String, at date: Date) async throws(StoreError) -> Int {
        records.withLock { records in
            var count = 0
            for (id, record) in records where record.owner == owner && record.revokedAt == nil {
                records[id]?.revokedAt = date
                count += 1
            }
            return count
        }
    }

    public func recordUse(id: String, at date: Date) async throws(StoreError) {
        records.withLock { $0[id]?.lastUsedAt = date }
    }

    public func deleteInactive(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        records.withLock { records in
            let doomed = records.values.lazy.filter { record in
                (record.revokedAt.map { $0 <= cutoff } ?? false) || (record.expiresAt.map { $0 <= cutoff } ?? false)
            }.prefix(max(limit, 0)).map(\.id)
            for id in doomed { records[id] = nil }
            return doomed.count
        }
    }
}
