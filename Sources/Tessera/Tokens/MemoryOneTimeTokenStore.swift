import Foundation
import Synchronization

/// One-time token records in this process's memory: for one server, tests and development.
public final class MemoryOneTimeTokenStore: OneTimeTokenStore {
    /// The most records the store holds; inserting beyond it throws ``StoreError/capacityExceeded(limit:)``.
    public let capacity: Int
    private let records = Mutex<[[UInt8]: OneTimeTokenRecord]>([:])

    /// Creates an empty store holding at most `capacity` tokens.
    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    public func insert(_ record: OneTimeTokenRecord) async throws(StoreError) {
        try records.withLock { (records) throws(StoreError) in
            guard records[record.tokenHash] == nil else { throw .duplicateKey }
            guard records.count < capacity else { throw .capacityExceeded(limit: capacity) }
            records[record.tokenHash] = record
        }
    }

    public func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord? {
        records.withLock { records in
            guard let record = records[tokenHash], record.purpose == purpose else { return nil }
            records[tokenHash] = nil
            return record
        }
    }

    public func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int {
        records.withLock { records in
            let before = records.count
            records = records.filter { $0.value.subject != subject || $0.value.purpose != purpose }
            return before - records.count
        }
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        records.withLock { records in
            let doomed = Array(records.lazy.filter { $0.value.expiresAt <= now }.prefix(max(limit, 0)).map(\.key))
            for key in doomed { records[key] = nil }
            return doomed.count
        }
    }
}
