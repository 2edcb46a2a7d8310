import Foundation
import HeapModule
import Synchronization

/// A bounded session store in this process's memory: for one server, tests
/// and development. Sessions die with the process.
///
/// Each session is one compact byte array in a hash table, so a lookup is
/// O(1) and costs one lock and one decode. Expired sessions leave through a
/// min-heap of deadlines that ``deleteExpired(asOf:limit:)`` drains in
/// small batches, so a sweep never holds the lock for long. The store
/// refuses new sessions beyond ``capacity`` (after first clearing expired
/// ones) rather than evicting live ones, which would let anyone log
/// everybody out by opening sessions.
public final class MemorySessionStore: SessionStore {
    /// The most sessions the store holds.
    public let capacity: Int

    private struct Deadline: Comparable {
        var expiresAt: Double
        var slot: UInt64
        static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.expiresAt < rhs.expiresAt }
    }

    /// A user's sessions: nearly always one, so that case costs no array.
    private enum UserSlots {
        case one(UInt64)
        case many([UInt64])

        var slots: [UInt64] {
            switch self {
            case .one(let slot): [slot]
            case .many(let slots): slots
            }
        }
    }

    private struct State {
        /// Encoded records, filed under the first word of their key.
        var records: [UInt64: [UInt8]] = [:]
        /// Slots per user, filed under a hash of the user ID.
        var users: [Int: UserSlots] = [:]
        var deadlines = Heap<Deadline>()

        mutating func link(user: String?, slot: UInt64) {
            guard let user else { return }
            let bucket = user.hashValue
            switch users[bucket] {
            case nil: users[bucket] = .one(slot)
            case .one(let existing): users[bucket] = .many([existing, slot])
            case .many(var slots):
                users[bucket] = nil
                slots.append(slot)
                users[bucket] = .many(slots)
            }
        }

        mutating func unlink(user: String?, slot: UInt64) {
            guard let user else { return }
            let bucket = user.hashValue
            guard let entry = users[bucket] else { return }
            let remaining = entry.slots.filter { $0 != slot }
            switch remaining.count {
            case 0: users[bucket] = nil
            case 1: users[bucket] = .one(remaining[0])
            default: users[bucket] = .many(remaining)
            }
        }

        /// Removes the record in `slot` and its user link.
        mutating func remove(slot: UInt64) {
            guard let bytes = records.removeValue(forKey: slot) else { return }
            unlink(user: (try? SessionRecordCoding.decode(bytes))?.userID, slot: slot)
        }

        /// Pops up to `limit` due deadlines; stale entries (moved or deleted
        /// records) cost one pop each and are bounded by `budget`. Returns
        /// how many records went and whether more deadlines are due.
        mutating func sweep(asOf now: Double, limit: Int, budget: Int) -> (removed: Int, moreDue: Bool) {
            var removed = 0
            var popped = 0
            while removed < limit, popped < budget, let next = deadlines.min, next.expiresAt <= now {
                deadlines.removeMin()
                popped += 1
                guard let bytes = records[next.slot],
                      let actual = SessionRecordCoding.expiresAt(of: bytes)?.timeIntervalSince1970
                else { continue }
                if actual <= now {
                    remove(slot: next.slot)
                    removed += 1
                } else {
                    deadlines.insert(Deadline(expiresAt: actual, slot: next.slot))
                }
            }
            return (removed, (deadlines.min?.expiresAt ?? .infinity) <= now)
        }
    }

    private let state = Mutex(State())

    /// Creates an empty store that holds at most `capacity` sessions.
    public init(capacity: Int = 1_000_000) {
        precondition(capacity > 0, "a session store needs room for at least one session")
        self.capacity = capacity
    }

    /// How many records the store holds now, expired ones included.
    public var count: Int { state.withLock { $0.records.count } }

    public func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord? {
        guard let bytes = state.withLock({ $0.records[key.leadingWord] }) else { return nil }
        let record = try SessionRecordCoding.decode(bytes)
        return record.key == key ? record : nil
    }

    public func insert(_ record: SessionRecord) async throws(StoreError) {
        let bytes = try SessionRecordCoding.encode(record)
        let slot = record.key.leadingWord
        let capacity = capacity
        let outcome: StoreError? = state.withLock { state in
            guard state.records[slot] == nil else { return .duplicateKey }
            if state.records.count >= capacity {
                _ = state.sweep(asOf: record.createdAt.timeIntervalSince1970, limit: 64, budget: 256)
                guard state.records.count < capacity else { return .capacityExceeded(limit: capacity) }
            }
            state.records[slot] = bytes
            state.link(user: record.userID, slot: slot)
            state.deadlines.insert(Deadline(expiresAt: record.expiresAt.timeIntervalSince1970, slot: slot))
            return nil
        }
        if let outcome { throw outcome }
    }

    public func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool {
        let bytes = try SessionRecordCoding.encode(record)
        let oldSlot = oldKey.leadingWord
        let newSlot = record.key.leadingWord
        let outcome: Result<Bool, StoreError> = state.withLock { state in
            guard let stored = state.records[oldSlot],
                  SessionRecordCoding.key(of: stored) == oldKey,
                  SessionRecordCoding.version(of: stored) == expectedVersion
            else { return .success(false) }
            if newSlot != oldSlot, state.records[newSlot] != nil { return .failure(.duplicateKey) }
            let oldUser = (try? SessionRecordCoding.decode(stored))?.userID
            if newSlot != oldSlot || oldUser != record.userID {
                state.records[oldSlot] = nil
                state.unlink(user: oldUser, slot: oldSlot)
                state.link(user: record.userID, slot: newSlot)
            }
            state.records[newSlot] = bytes
            // A later deadline is found lazily when the old one pops; a new
            // slot or an earlier deadline needs an entry of its own.
            let storedExpiry = SessionRecordCoding.expiresAt(of: stored) ?? .distantPast
            if newSlot != oldSlot || record.expiresAt < storedExpiry {
                state.deadlines.insert(Deadline(expiresAt: record.expiresAt.timeIntervalSince1970, slot: newSlot))
            }
            return .success(true)
        }
        return try outcome.get()
    }

    public func delete(_ key: SessionLookupKey) async throws(StoreError) {
        state.withLock { state in
            let slot = key.leadingWord
            guard let stored = state.records[slot], SessionRecordCoding.key(of: stored) == key else { return }
            state.remove(slot: slot)
        }
    }

    public func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord] {
        let encoded: [[UInt8]] = state.withLock { state in
            (state.users[userID.hashValue]?.slots ?? []).compactMap { state.records[$0] }
        }
        var records = [SessionRecord]()
        for bytes in encoded {
            let record = try SessionRecordCoding.decode(bytes)
            if record.userID == userID { records.append(record) }
        }
        return records.sorted { $0.createdAt < $1.createdAt }
    }

    public func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int {
        state.withLock { state in
            var removed = 0
            for slot in state.users[userID.hashValue]?.slots ?? [] {
                guard let bytes = state.records[slot],
                      let record = try? SessionRecordCoding.decode(bytes),
                      record.userID == userID, record.key != kept
                else { continue }
                state.remove(slot: slot)
                removed += 1
            }
            return removed
        }
    }

    public func deleteAllRecords() async throws(StoreError) -> Int {
        state.withLock { state in
            let removed = state.records.count
            state = State()
            return removed
        }
    }

    public func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        // At most `limit` deletions per lock hold: a sweep of a million
        // expired sessions runs as many short batches between requests.
        let batch = min(max(limit, 1), 512)
        var removed = 0
        while removed < limit {
            let (swept, moreDue) = state.withLock {
                $0.sweep(asOf: now.timeIntervalSince1970, limit: min(batch, limit - removed), budget: batch * 4)
            }
            removed += swept
            if !moreDue { break }
            await Task.yield()
        }
        return removed
    }
}
