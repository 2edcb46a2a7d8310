import Foundation
import Testing
@testable import Tessera

/// The ``SessionStore`` and ``RevocationEpochStore`` protocols, called
/// directly (no manager in between), against every server-side store: what
/// a custom store must also do.
@Suite("Session store contract")
struct SessionStoreContractTests {
    /// A time with a fractional part, so a store that rounds to seconds fails.
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)

    /// A fresh record; `full` fills every optional field.
    static func record(
        userID: String? = nil,
        createdAt: Date = t0,
        expiresAt: Date? = nil,
        version: Int64 = 1,
        data: [UInt8] = [],
        full: Bool = false
    ) -> SessionRecord {
        SessionRecord(
            key: SessionID().lookupKey,
            handle: SessionHandle(),
            version: version,
            userID: userID,
            data: data,
            createdAt: createdAt,
            lastSeenAt: createdAt.addingTimeInterval(0.5),
            expiresAt: expiresAt ?? createdAt.addingTimeInterval(1800.75),
            authenticatedAt: full ? createdAt.addingTimeInterval(-0.125) : nil,
            authenticationMethod: full ? "passkey" : nil,
            clientAddress: full ? "2001:db8::1" : nil,
            userAgent: full ? "Mozilla/5.0 (X11; Linux) Ünïcödé ✓ 'quoted' \"double\"" : nil
        )
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = TestRandom(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    // MARK: load / insert

    @Test("Insert then load returns an equal record, every field included", arguments: StoreKind.serverSide)
    func insertThenLoad(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            var samples: [SessionRecord] = [
                Self.record(userID: "alice", data: [0, 1, 2, 0x7F, 0x80, 0xFF, 0], full: true),
                Self.record(),  // every optional nil, empty data
                Self.record(userID: "o'brien; DROP TABLE tessera_sessions;--", version: 9_000_000_000, data: Self.randomBytes(65_536, seed: 1), full: true),
            ]
            // Empty strings are not nil.
            var empties = Self.record(userID: "", data: [0])
            empties.authenticationMethod = ""
            empties.clientAddress = ""
            empties.userAgent = ""
            empties.authenticatedAt = Date(timeIntervalSince1970: 0)
            samples.append(empties)
            // Far-off times with fractions.
            var far = Self.record(userID: "bob", createdAt: Date(timeIntervalSince1970: 4_102_444_800.999), full: true)
            far.lastSeenAt = Date(timeIntervalSince1970: 4_102_444_801.0625)
            samples.append(far)

            for sample in samples { try await store.insert(sample) }
            for sample in samples {
                let loaded = try #require(try await store.load(sample.key))
                #expect(loaded.key == sample.key)
                #expect(loaded.handle == sample.handle)
                #expect(loaded.version == sample.version)
                #expect(loaded.userID == sample.userID)
                #expect(loaded.data == sample.data)
                #expect(loaded.createdAt == sample.createdAt)
                #expect(loaded.lastSeenAt == sample.lastSeenAt)
                #expect(loaded.expiresAt == sample.expiresAt)
                #expect(loaded.authenticatedAt == sample.authenticatedAt)
                #expect(loaded.authenticationMethod == sample.authenticationMethod)
                #expect(loaded.clientAddress == sample.clientAddress)
                #expect(loaded.userAgent == sample.userAgent)
                #expect(loaded == sample)
            }
            #expect(try await store.load(SessionID().lookupKey) == nil)
        }
    }

    @Test("Inserting a taken key throws duplicateKey and leaves the first record alone", arguments: StoreKind.serverSide)
    func duplicateInsert(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let first = Self.record(userID: "alice", data: [1, 2, 3], full: true)
            try await store.insert(first)
            var second = Self.record(userID: "mallory", data: [9, 9])
            second.key = first.key
            await #expect(throws: StoreError.duplicateKey) { try await store.insert(second) }
            await #expect(throws: StoreError.duplicateKey) { try await store.insert(first) }
            #expect(try await store.load(first.key) == first)
            #expect(try await store.records(ofUser: "mallory").isEmpty)
            #expect(try await store.records(ofUser: "alice") == [first])
        }
    }

    @Test("delete removes one record; deleting a missing key is not an error", arguments: StoreKind.serverSide)
    func deleteOne(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let a = Self.record(userID: "alice"), b = Self.record(userID: "alice")
            try await store.insert(a)
            try await store.insert(b)
            try await store.delete(a.key)
            #expect(try await store.load(a.key) == nil)
            #expect(try await store.load(b.key) == b)
            try await store.delete(a.key)
            try await store.delete(SessionID().lookupKey)
            #expect(try await store.records(ofUser: "alice") == [b])
        }
    }

    // MARK: update (compare-and-set)

    @Test("update with a stale or wrong version returns false and changes nothing", arguments: StoreKind.serverSide)
    func updateWrongVersion(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let original = Self.record(userID: "alice", data: [1], full: true)
            try await store.insert(original)
            var next = original
            next.version = 2
            next.data = [2]
            next.userID = "bob"
            next.lastSeenAt = original.lastSeenAt.addingTimeInterval(60.5)
            for wrong: Int64 in [0, 2, -1, .max] {
                #expect(try await store.update(next, replacing: original.key, expectedVersion: wrong) == false)
                #expect(try await store.load(original.key) == original)
            }
            // A rotation with the wrong version creates nothing at the new key.
            var moved = next
            moved.key = SessionID().lookupKey
            #expect(try await store.update(moved, replacing: original.key, expectedVersion: 5) == false)
            #expect(try await store.load(moved.key) == nil)
            #expect(try await store.load(original.key) == original)
            // Replacing a key that isn't there writes nothing.
            let ghost = SessionID().lookupKey
            #expect(try await store.update(moved, replacing: ghost, expectedVersion: 1) == false)
            #expect(try await store.load(moved.key) == nil)
            #expect(try await store.records(ofUser: "bob").isEmpty)

            // The right version writes, once; the old version is then stale.
            #expect(try await store.update(next, replacing: original.key, expectedVersion: 1) == true)
            #expect(try await store.load(original.key) == next)
            #expect(try await store.records(ofUser: "bob") == [next])
            #expect(try await store.records(ofUser: "alice").isEmpty, "the user index follows the update")
            var third = next
            third.data = [3]
            #expect(try await store.update(third, replacing: original.key, expectedVersion: 1) == false)
            #expect(try await store.load(original.key) == next)
        }
    }

    @Test("ASVS-7.2.4: update can move a record to a new key: the old key is dead at once", arguments: StoreKind.serverSide)
    func ASVS_7_2_4_updateRotatesKey(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let anonymous = Self.record(data: [1, 2])
            try await store.insert(anonymous)
            // Sign-in: new key, a user, new data.
            var signedIn = anonymous
            signedIn.key = SessionID().lookupKey
            signedIn.version = 2
            signedIn.userID = "alice"
            signedIn.data = [3, 4, 5]
            signedIn.authenticatedAt = Self.t0.addingTimeInterval(1.5)
            signedIn.authenticationMethod = "password"
            #expect(try await store.update(signedIn, replacing: anonymous.key, expectedVersion: 1) == true)
            #expect(try await store.load(anonymous.key) == nil)
            #expect(try await store.load(signedIn.key) == signedIn)
            #expect(try await store.records(ofUser: "alice") == [signedIn])
            // The old key can't be updated any more.
            #expect(try await store.update(signedIn, replacing: anonymous.key, expectedVersion: 1) == false)
            // A second rotation, compare-and-set on the new key.
            var rotated = signedIn
            rotated.key = SessionID().lookupKey
            rotated.version = 3
            #expect(try await store.update(rotated, replacing: signedIn.key, expectedVersion: 2) == true)
            #expect(try await store.load(signedIn.key) == nil)
            #expect(try await store.load(rotated.key) == rotated)
            #expect(try await store.records(ofUser: "alice") == [rotated])
            #expect(try await store.deleteRecords(ofUser: "alice", except: nil) == 1)
            #expect(try await store.deleteAllRecords() == 0)
        }
    }

    @Test("update onto a key that is taken fails (duplicateKey or false) and leaves both records intact", arguments: StoreKind.serverSide)
    func updateOntoTakenKey(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let mine = Self.record(userID: "alice", data: [1], full: true)
            let theirs = Self.record(userID: "bob", data: [2])
            try await store.insert(mine)
            try await store.insert(theirs)
            var hijack = mine
            hijack.key = theirs.key
            hijack.version = 2
            hijack.data = [66]
            do {
                let written = try await store.update(hijack, replacing: mine.key, expectedVersion: 1)
                #expect(written == false)
            } catch {
                #expect((error as? StoreError) == .duplicateKey)
            }
            #expect(try await store.load(mine.key) == mine)
            #expect(try await store.load(theirs.key) == theirs)
            #expect(try await store.records(ofUser: "alice") == [mine])
            #expect(try await store.records(ofUser: "bob") == [theirs])
            // The failed attempt didn't consume the version.
            var next = mine
            next.version = 2
            #expect(try await store.update(next, replacing: mine.key, expectedVersion: 1) == true)
        }
    }

    // MARK: per-user queries

    @Test("records(ofUser:) returns only that user's records, oldest first", arguments: StoreKind.serverSide)
    func recordsOfUser(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let offsets: [TimeInterval] = [30.5, 10.25, 20.75, 0.125]
            let alice = offsets.map { Self.record(userID: "alice", createdAt: Self.t0.addingTimeInterval($0), full: true) }
            let others = [
                Self.record(userID: "bob", createdAt: Self.t0.addingTimeInterval(5)),
                Self.record(userID: "Alice", createdAt: Self.t0.addingTimeInterval(6)),
                Self.record(userID: "alice ", createdAt: Self.t0.addingTimeInterval(7)),
                Self.record(userID: "alic%", createdAt: Self.t0.addingTimeInterval(8)),
                Self.record(createdAt: Self.t0.addingTimeInterval(9)),
            ]
            for record in alice + others { try await store.insert(record) }
            let listed = try await store.records(ofUser: "alice")
            #expect(listed == alice.sorted { $0.createdAt < $1.createdAt })
            #expect(listed.map(\.createdAt) == listed.map(\.createdAt).sorted())
            #expect(listed.allSatisfy { $0.userID == "alice" })
            #expect(try await store.records(ofUser: "bob") == [others[0]])
            #expect(try await store.records(ofUser: "Alice") == [others[1]])
            #expect(try await store.records(ofUser: "alic%") == [others[3]])
            #expect(try await store.records(ofUser: "alic_").isEmpty)
            #expect(try await store.records(ofUser: "nobody").isEmpty)
            #expect(try await store.records(ofUser: "").isEmpty)
        }
    }

    @Test("ASVS-7.4.3: deleteRecords(ofUser:except:) keeps the excepted record and counts the rest", arguments: StoreKind.serverSide)
    func ASVS_7_4_3_deleteRecordsOfUser(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let alice = (0..<4).map { Self.record(userID: "alice", createdAt: Self.t0.addingTimeInterval(Double($0))) }
            let bob = Self.record(userID: "bob")
            let anonymous = Self.record()
            for record in alice + [bob, anonymous] { try await store.insert(record) }

            #expect(try await store.deleteRecords(ofUser: "alice", except: alice[2].key) == 3)
            #expect(try await store.records(ofUser: "alice") == [alice[2]])
            for gone in [alice[0], alice[1], alice[3]] { #expect(try await store.load(gone.key) == nil) }
            #expect(try await store.load(bob.key) == bob)
            #expect(try await store.load(anonymous.key) == anonymous)
            // Another user's key as the exception protects nothing of alice's
            // and deletes nothing of bob's.
            #expect(try await store.deleteRecords(ofUser: "alice", except: bob.key) == 1)
            #expect(try await store.records(ofUser: "alice").isEmpty)
            #expect(try await store.load(bob.key) == bob)
            #expect(try await store.deleteRecords(ofUser: "alice", except: nil) == 0)
            #expect(try await store.deleteRecords(ofUser: "bob", except: nil) == 1)
            #expect(try await store.load(anonymous.key) == anonymous)
        }
    }

    @Test("deleteAllRecords deletes every record and returns the count", arguments: StoreKind.serverSide)
    func deleteAll(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let records = [Self.record(userID: "a"), Self.record(userID: "a"), Self.record(userID: "b"), Self.record(), Self.record(full: true)]
            for record in records { try await store.insert(record) }
            #expect(try await store.deleteAllRecords() == records.count)
            for record in records { #expect(try await store.load(record.key) == nil) }
            #expect(try await store.records(ofUser: "a").isEmpty)
            #expect(try await store.deleteAllRecords() == 0)
            // The store still works afterwards.
            try await store.insert(records[0])
            #expect(try await store.records(ofUser: "a") == [records[0]])
        }
    }

    // MARK: expiry sweeps

    @Test("deleteExpired deletes at most `limit` per call, and only records with expiresAt <= now", arguments: StoreKind.serverSide)
    func deleteExpiredInBatches(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let now = Self.t0.addingTimeInterval(10_000)
            // Seven due (one exactly at `now`), three live (one a quarter second after).
            let dueOffsets: [TimeInterval] = [-5000, -0.25, 0, -1, -100.5, -2, -3]
            let due = dueOffsets.map { Self.record(userID: "u", expiresAt: now.addingTimeInterval($0)) }
            let live = [0.25, 1, 5000].map { Self.record(userID: "u", expiresAt: now.addingTimeInterval($0)) }
            var rng = TestRandom(seed: 99)
            for record in (due + live).shuffled(using: &rng) { try await store.insert(record) }

            #expect(try await store.deleteExpired(asOf: now, limit: 0) == 0)
            var counts: [Int] = []
            for _ in 0..<4 { counts.append(try await store.deleteExpired(asOf: now, limit: 3)) }
            #expect(counts == [3, 3, 1, 0])
            for record in due { #expect(try await store.load(record.key) == nil) }
            for record in live { #expect(try await store.load(record.key) == record) }
            #expect(try await store.records(ofUser: "u").count == live.count, "the user index drops swept records")
            // A larger limit than there is to do returns the exact count.
            #expect(try await store.deleteExpired(asOf: now.addingTimeInterval(1), limit: 1000) == 2)
            #expect(try await store.load(live[2].key) == live[2])
        }
    }

    @Test("deleteExpired follows expiries moved by update, later or earlier, and rotated keys", arguments: StoreKind.serverSide)
    func deleteExpiredAfterUpdates(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let store = try #require(subject.store)
            let now = Self.t0.addingTimeInterval(1000)
            // Inserted due at now+500, then extended in place: not due at now+600.
            let extended = Self.record(expiresAt: now.addingTimeInterval(500))
            // Inserted due at now-10, then extended under a new key (rotation).
            let rotated = Self.record(expiresAt: now.addingTimeInterval(-10))
            // Inserted due far ahead, then shortened in place to now-1: due now.
            let shortened = Self.record(expiresAt: now.addingTimeInterval(50_000))
            for record in [extended, rotated, shortened] { try await store.insert(record) }

            var extendedNext = extended
            extendedNext.version = 2
            extendedNext.expiresAt = now.addingTimeInterval(900)
            #expect(try await store.update(extendedNext, replacing: extended.key, expectedVersion: 1))
            var rotatedNext = rotated
            rotatedNext.key = SessionID().lookupKey
            rotatedNext.version = 2
            rotatedNext.expiresAt = now.addingTimeInterval(800)
            #expect(try await store.update(rotatedNext, replacing: rotated.key, expectedVersion: 1))
            var shortenedNext = shortened
            shortenedNext.version = 2
            shortenedNext.expiresAt = now.addingTimeInterval(-1)
            #expect(try await store.update(shortenedNext, replacing: shortened.key, expectedVersion: 1))

            // At `now`, only the shortened record is due.
            let sweptNow = try await store.deleteExpired(asOf: now, limit: 100)
            let shortenedAfterSweep = try await store.load(shortened.key)
            #expect(sweptNow == 1)
            #expect(shortenedAfterSweep == nil)
            #expect(try await store.load(rotatedNext.key) == rotatedNext)
            #expect(try await store.load(extended.key) == extendedNext)
            // At now+600, past the extended record's first deadline: nothing new is due.
            #expect(try await store.deleteExpired(asOf: now.addingTimeInterval(600), limit: 100) == 0)
            #expect(try await store.load(extended.key) == extendedNext)
            #expect(try await store.load(rotatedNext.key) == rotatedNext)
            // At now+1000 both are due.
            #expect(try await store.deleteExpired(asOf: now.addingTimeInterval(1000), limit: 100) == 2)
            #expect(try await store.load(extended.key) == nil)
            #expect(try await store.load(rotatedNext.key) == nil)
            #expect(try await store.load(rotated.key) == nil)
            // Long after every deadline, nothing is left.
            _ = try await store.deleteExpired(asOf: now.addingTimeInterval(100_000), limit: 100)
            #expect(try await store.load(shortened.key) == nil)
            #expect(try await store.deleteAllRecords() == 0)
        }
    }

    // MARK: revocation epochs

    @Test("Revocation epochs start at 0, count up by one, and are independent per subject", arguments: StoreKind.serverSide)
    func revocationEpochs(kind: StoreKind) async throws {
        try await withStore(kind) { subject async throws in
            let epochs = subject.epochs
            #expect(try await epochs.epoch(of: "alice") == 0)
            #expect(try await epochs.advanceEpoch(of: "alice") == 1)
            #expect(try await epochs.advanceEpoch(of: "alice") == 2)
            #expect(try await epochs.epoch(of: "alice") == 2)
            for other in ["bob", "Alice", "alice ", RevocationEpochs.everyone, "o'brien", ""] {
                #expect(try await epochs.epoch(of: other) == 0, "\(other)")
            }
            #expect(try await epochs.advanceEpoch(of: "bob") == 1)
            #expect(try await epochs.advanceEpoch(of: RevocationEpochs.everyone) == 1)
            #expect(try await epochs.epoch(of: "alice") == 2)
            #expect(try await epochs.epoch(of: "bob") == 1)
            #expect(try await epochs.epoch(of: RevocationEpochs.everyone) == 1)
        }
    }

    @Test("Concurrent epoch advances are atomic: each returns a distinct value", arguments: StoreKind.serverSide)
    func concurrentEpochAdvances(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let epochs = subject.epochs
            let returned = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<20 { group.addTask { try await epochs.advanceEpoch(of: "carol") } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(returned.sorted() == Array(1...20))
            #expect(try await epochs.epoch(of: "carol") == 20)
        }
    }

    // MARK: binary coding robustness

    static let sampleRecord: SessionRecord = {
        var sample = Self.record(userID: "alice@example.com", data: Array("{\"cart\":[1,2,3]}".utf8), full: true)
        sample.version = 0x0102_0304_0506_0708
        return sample
    }()

    /// Checks one decode attempt: it may throw, and what it returns is
    /// self-consistent (it re-encodes to something that decodes the same).
    static func checkRecordDecode(_ bytes: [UInt8]) -> SessionRecord? {
        _ = SessionRecordCoding.key(of: bytes)
        _ = SessionRecordCoding.version(of: bytes)
        _ = SessionRecordCoding.expiresAt(of: bytes)
        guard let record = try? SessionRecordCoding.decode(bytes) else { return nil }
        #expect(SessionRecordCoding.key(of: bytes) == record.key)
        #expect(SessionRecordCoding.version(of: bytes) == record.version)
        #expect(SessionRecordCoding.expiresAt(of: bytes) == record.expiresAt)
        #expect(record.createdAt.timeIntervalSince1970.isFinite && record.expiresAt.timeIntervalSince1970.isFinite)
        let again = try? SessionRecordCoding.decode(SessionRecordCoding.encode(record))
        #expect(again == record)
        return record
    }

    @Test("SessionRecordCoding round-trips records, and refuses fields too long for their prefix")
    func recordCodingRoundTrip() throws {
        for sample in [Self.sampleRecord, Self.record(), Self.record(userID: "", data: Self.randomBytes(70_000, seed: 3))] {
            #expect(try SessionRecordCoding.decode(SessionRecordCoding.encode(sample)) == sample)
        }
        var tooLong = Self.sampleRecord
        tooLong.authenticationMethod = String(repeating: "m", count: 256)
        #expect(throws: StoreError.self) { try SessionRecordCoding.encode(tooLong) }
        tooLong = Self.sampleRecord
        tooLong.userID = String(repeating: "u", count: 65_536)
        #expect(throws: StoreError.self) { try SessionRecordCoding.encode(tooLong) }
    }

    @Test("SessionRecordCoding.decode survives 10 000 random byte arrays")
    func recordDecodeRandomBytes() {
        var rng = TestRandom(seed: 0x5E55_1011)
        var decoded = 0
        for round in 0..<10_000 {
            let length = Int.random(in: 0...300, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            // Half start with the format byte, to get past the first check.
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 1 }
            if Self.checkRecordDecode(bytes) != nil { decoded += 1 }
        }
        // Random bytes almost never form a record; the point is no crash.
        #expect(decoded < 10_000)
    }

    @Test("SessionRecordCoding.decode: every truncation throws, every one-byte change is handled")
    func recordDecodeTruncationsAndMutations() throws {
        let valid = try SessionRecordCoding.encode(Self.sampleRecord)
        #expect(try SessionRecordCoding.decode(valid) == Self.sampleRecord)
        for length in 0..<valid.count {
            #expect(throws: StoreError.self) { try SessionRecordCoding.decode(Array(valid.prefix(length))) }
        }
        #expect(throws: StoreError.self) { try SessionRecordCoding.decode(valid + [0]) }

        let flagsOffset = 1 + 32 + 16 + 8 + 8 * 3
        for position in valid.indices {
            for value in UInt8.min...UInt8.max where value != valid[position] {
                var mutated = valid
                mutated[position] = value
                guard let record = Self.checkRecordDecode(mutated) else { continue }
                // Only spare bits of the flags byte may change without
                // changing the record.
                if position != flagsOffset || (value ^ valid[position]) & 0x1F != 0 {
                    #expect(record != Self.sampleRecord, "byte \(position) = \(value) was ignored")
                }
            }
        }
    }

    @Test("SessionValues(encoded:) survives random bytes, truncations and one-byte changes")
    func valuesDecodeRobustness() throws {
        let values = SessionValues(entries: [
            "cart": Array("[\"sku-1\",\"sku-2\"]".utf8),
            "note": Array("\"héllo\"".utf8),
            "": Array("0".utf8),
            "flags": Array("{\"a\":true}".utf8),
        ])
        let valid = values.encoded()
        #expect(try SessionValues(encoded: valid) == values)
        #expect(try SessionValues(encoded: []) == SessionValues())
        #expect(SessionValues().encoded() == [])

        func check(_ bytes: [UInt8]) -> SessionValues? {
            guard let decoded = try? SessionValues(encoded: bytes) else { return nil }
            #expect((try? SessionValues(encoded: decoded.encoded())) == decoded)
            return decoded
        }

        var rng = TestRandom(seed: 0xDA7A)
        for round in 0..<10_000 {
            let length = Int.random(in: 0...300, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 1 }
            // Small counts, so decoding goes past the header.
            if round % 4 == 0, bytes.count >= 5 { bytes[1...4] = [UInt8.random(in: 0...3, using: &rng), 0, 0, 0] }
            _ = check(bytes)
        }
        for length in 1..<valid.count {
            #expect(throws: SessionError.self) { try SessionValues(encoded: Array(valid.prefix(length))) }
        }
        #expect(throws: SessionError.self) { try SessionValues(encoded: valid + [0]) }
        for position in valid.indices {
            for value in UInt8.min...UInt8.max where value != valid[position] {
                var mutated = valid
                mutated[position] = value
                if let decoded = check(mutated) {
                    #expect(decoded != values, "byte \(position) = \(value) was ignored")
                }
            }
        }
    }
}
