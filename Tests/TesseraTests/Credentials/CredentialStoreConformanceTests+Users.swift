import Foundation
import Synchronization
import Testing
@testable import Tessera

/// ``UserStore`` against every backend.
extension CredentialStoreConformanceTests {
    static func user(_ name: String, hash: String? = "$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaA", createdAt: Date = t0) -> UserRecord {
        UserRecord(id: UserRecord.newID(), username: Username(name)!, passwordHash: hash, createdAt: createdAt)
    }

    @Test("Users: insert then look up by name and ID, every field kept; listed by name", arguments: StoreKind.serverSide)
    func usersRoundTrip(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let bob = Self.user("bob", createdAt: Date(timeIntervalSince1970: 1_700_000_000.25))
            let alice = Self.user("Alice@Example.com", hash: nil)
            try await stores.users.insert(bob)
            try await stores.users.insert(alice)
            #expect(try await stores.users.user(named: Username("BOB")!) == bob)
            #expect(try await stores.users.user(id: alice.id) == alice)
            #expect(try await stores.users.user(named: Username("carol")!) == nil)
            #expect(try await stores.users.user(id: "usr_missing") == nil)
            #expect(try await stores.users.users().map(\.username.value) == ["alice@example.com", "bob"])
        }
    }

    @Test("Users: a taken login name or ID is duplicateKey, whatever its case, and the first account is untouched", arguments: StoreKind.serverSide)
    func usersRefuseDuplicates(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let first = Self.user("dave")
            try await stores.users.insert(first)
            await #expect(throws: StoreError.duplicateKey) { try await stores.users.insert(Self.user("DAVE")) }
            var sameID = Self.user("erin")
            sameID.id = first.id
            await #expect(throws: StoreError.duplicateKey) { try await stores.users.insert(sameID) }
            #expect(try await stores.users.users() == [first])
        }
    }

    @Test("Users: password hash and disabled flag change only the named account", arguments: StoreKind.serverSide)
    func usersUpdate(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let frank = Self.user("frank"), grace = Self.user("grace")
            try await stores.users.insert(frank)
            try await stores.users.insert(grace)
            #expect(try await stores.users.setPasswordHash(ofUser: frank.id, to: "$scrypt$new"))
            #expect(try await stores.users.setDisabled(ofUser: frank.id, true))
            #expect(try await !stores.users.setDisabled(ofUser: "usr_missing", true))
            let changed = try #require(try await stores.users.user(id: frank.id))
            #expect(changed.passwordHash == "$scrypt$new" && changed.disabled)
            #expect(try await stores.users.user(id: grace.id) == grace)
            let directory = UserDirectory(store: stores.users)
            #expect(try await directory.passwordCredential(forLogin: "frank") == nil, "a disabled account can't log in")
            #expect(try await directory.passwordCredential(forLogin: "GRACE")?.userID == grace.id)
            #expect(try await directory.passwordCredential(forLogin: "gr ace") == nil)
        }
    }

    @Test("Users: of 12 servers creating the first account at once on an empty store, exactly one succeeds", arguments: StoreKind.serverSide)
    func usersInsertFirstHasOneWinner(kind: StoreKind) async throws {
        try await withCredentialStores(kind) { stores in
            let users = stores.users
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<12 { group.addTask { try await users.insertFirst(Self.user("admin\(index)")) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            #expect(try await users.users().count == 1)
            #expect(try await !users.insertFirst(Self.user("late")))
        }
    }
}
