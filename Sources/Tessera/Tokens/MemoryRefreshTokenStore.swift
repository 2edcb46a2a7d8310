import Foundation
import Synchronization

/// Refresh-token records in this process's memory: for one server, tests and development.
public final class MemoryRefreshTokenStore: RefreshTokenStore {
    /// The most records the store holds; inserting beyond it throws ``StoreError/capacityExceeded(limit:)``.
    public let capacity: Int
    private let records = Mutex<[[UInt8]: RefreshTokenRecord]>([:])

    /// Creates an empty store holding at most `capacity` tokens.
    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    public func insert(_ record: RefreshTokenRecord) async throws(StoreError) {
        try records.withLock { (records) throws(StoreError) in
            guard records[record.tokenHash] == nil else { throw .duplicateKey }
            guard records.count < capacity else { throw .capacityExceeded(limit: capacity) }
            records[record.tokenHash] = record
        }
    }

    public func record(tokenHash: [UInt8]) async throws(StoreError) -> RefreshTokenRecord? {
        records.withLock { $0[tokenHash] }
    }

    public func markRotated(tokenHash: [UInt8], at date: Date) async throws(StoreError) -> Bool {
        records.withLock { records in
            guard let record = records[tokenHash], record.rotatedAt == nil else { return false }
            records[tokenHash]?.rotatedAt = date
            return true
        }
    }

    public func deleteFamily(_ familyID: String) async throws(StoreError) -> Int {
        records.withLock { records in
            let before = records.count
            records = records.filter { $0.value.familyID != familyID }
            return before - records.count
        }
    }

    public func deleteFamilies(ofUser userID: String) async throws(StoreError) -> Int {
        records.withLock { records in
            let before = records.count
            records = records.filter { $0.value.userID != userID }
            return before - records.count
        }
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        records.withLock { records in
            let doomed = records.lazy.filter { $0.value.expiresAt <= now }.prefix(max(limit, 0)).map(\.key)
            for key in doomed { records[key] = nil }
            return doomed.count
        }
    }
}
