import Synchronization

/// User accounts in this process's memory: for tests and development.
public final class MemoryUserStore: UserStore {
    private let state = Mutex<[String: UserRecord]>([:])

    /// An empty store.
    public init() {}

    public func insert(_ record: UserRecord) async throws(StoreError) {
        try state.withLock { (users: inout [String: UserRecord]) throws(StoreError) in
            guard users[record.id] == nil, !users.values.contains(where: { $0.username == record.username }) else {
                throw .duplicateKey
            }
            users[record.id] = record
        }
    }

    public func insertFirst(_ record: UserRecord) async throws(StoreError) -> Bool {
        state.withLock { users in
            guard users.isEmpty else { return false }
            users[record.id] = record
            return true
        }
    }

    public func user(named username: Username) async throws(StoreError) -> UserRecord? {
        state.withLock { $0.values.first { $0.username == username } }
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        state.withLock { $0[id] }
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        state.withLock { $0.values.sorted { $0.username.value < $1.username.value } }
    }

    public func setPasswordHash(ofUser id: String, to hash: String) async throws(StoreError) -> Bool {
        state.withLock { users in
            guard users[id] != nil else { return false }
            users[id]?.passwordHash = hash
            return true
        }
    }

    public func setDisabled(ofUser id: String, _ disabled: Bool) async throws(StoreError) -> Bool {
        state.withLock { users in
            guard users[id] != nil else { return false }
            users[id]?.disabled = disabled
            return true
        }
    }
}
