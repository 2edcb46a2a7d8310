import Foundation
import Testing
@testable import Tessera

/// Sealed-cookie sessions at their limits (size, keys, revocation lag
/// between servers) and typed session values through every storage kind.
@Suite("Sealed-cookie sessions and typed values")
struct SessionSealedAndValueTests {
    static let cookieName = SessionConfiguration.Cookie().name

    /// `count` characters a JSON string holds as is, drawn from a seeded generator.
    static func randomText(_ count: Int, seed: UInt64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:-_!?()[]{}")
        var rng = TestRandom(seed: seed)
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    static func sealedManager(
        ring: KeyRing = TestKeys.ring("sessions-k1"),
        epochs: any RevocationEpochStore = MemoryRevocationEpochStore(),
        maximumLag: TimeInterval = 0,
        maximumChunks: Int = 3,
        clock: any WallClock
    ) -> SessionManager {
        SessionManager(
            sealingWith: ring,
            revocation: RevocationEpochs(store: epochs, maximumLag: maximumLag),
            maximumChunks: maximumChunks,
            clock: clock
        )
    }

    // MARK: size

    @Test("A ~10 KB sealed session spreads over numbered chunk cookies of at most 4096 bytes each, and reads back")
    func largeSealedSessionIsChunked() async throws {
        let clock = ManualWallClock()
        let manager = Self.sealedManager(maximumChunks: 5, clock: clock)
        let big = Self.randomText(10_000, seed: 10)
        let browser = Browser()
        try await browser.request(manager) {
            try await manager.logIn(&$0, userID: "alice", method: "password")
            try $0.set(.note, big)
        }
        let cookies = browser.lastSetCookies
        #expect(cookies.count >= 3, "10 KB needs at least three 4 KB cookies")
        #expect(cookies.count <= 5)
        let expectedNames = [Self.cookieName] + (1..<cookies.count).map { CookieChunker.chunkName(Self.cookieName, index: $0) }
        #expect(cookies.map(\.name) == expectedNames)
        #expect(expectedNames.dropFirst().first == "__Host-tessera-session.1")
        for cookie in cookies {
            #expect(cookie.name.utf8.count + cookie.value.utf8.count <= SetCookie.maximumNameValueBytes)
            #expect(cookie.name.utf8.count + cookie.value.utf8.count <= 4096)
            #expect(!cookie.value.isEmpty)
            #expect(cookie.httpOnly && cookie.secure)
            _ = try cookie.headerValue(publicSuffixes: .builtIn)  // a browser would store it
        }
        // The plaintext is not in any cookie.
        #expect(cookies.allSatisfy { !$0.value.contains(String(big.prefix(40))) })

        let resumed = try await browser.request(manager).session
        #expect(resumed.origin == .resumed)
        #expect(resumed.userID == "alice")
        #expect(try resumed.get(.note) == big)

        // Fail closed: a missing chunk, or two chunks swapped, is no session.
        var missing = browser.jar
        missing[CookieChunker.chunkName(Self.cookieName, index: 1)] = nil
        let withoutChunk = try await Browser(jar: missing).request(manager).session
        #expect(withoutChunk.isAuthenticated == false)
        #expect(withoutChunk.origin == .ended(.malformed))
        var swapped = browser.jar
        let one = CookieChunker.chunkName(Self.cookieName, index: 1), two = CookieChunker.chunkName(Self.cookieName, index: 2)
        (swapped[one], swapped[two]) = (swapped[two], swapped[one])
        #expect(try await Browser(jar: swapped).request(manager).session.isAuthenticated == false)

        // Shrinking deletes the chunk cookies no longer needed.
        try await browser.request(manager) { try $0.set(.note, "small") }
        let deleted = browser.lastSetCookies.filter { $0.maxAge == 0 }.map(\.name)
        #expect(Set(deleted) == Set(expectedNames.dropFirst()))
        #expect(browser.jar.keys.sorted() == [Self.cookieName])
        let small = try await browser.request(manager).session
        #expect(small.userID == "alice")
        #expect(try small.get(.note) == "small")
    }

    @Test("A sealed session too large for the chunk limit throws sessionTooLarge")
    func oversizedSealedSessionThrows() async throws {
        let manager = Self.sealedManager(maximumChunks: 3, clock: ManualWallClock())
        var session = try await manager.load(from: RequestCookies(header: ""))
        try session.set(.note, Self.randomText(20_000, seed: 20))
        let error = await #expect(throws: SessionError.self) { try await manager.save(&session) }
        guard case .sessionTooLarge(let reason)? = error else {
            Issue.record("expected sessionTooLarge, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
        // The same data fits once more chunks are allowed.
        let roomier = Self.sealedManager(maximumChunks: 12, clock: ManualWallClock())
        let browser = Browser()
        try await browser.request(roomier) { try $0.set(.note, Self.randomText(20_000, seed: 20)) }
        #expect(try await browser.request(roomier).session.get(.note) == Self.randomText(20_000, seed: 20))
    }

    // MARK: keys

    @Test("CS-S3: a sealed cookie from another key ring is malformed, never a session")
    func CS_S3_sealedUnderAnotherRingIsMalformed() async throws {
        let clock = ManualWallClock()
        let issuer = Self.sealedManager(ring: TestKeys.ring("sessions-k1"), clock: clock)
        let browser = Browser()
        try await browser.request(issuer) {
            try await issuer.logIn(&$0, userID: "alice", method: "password")
            try $0.set(.note, "secret")
        }
        #expect(try await browser.copy().request(issuer).session.userID == "alice", "the issuer accepts it")
        let others = [
            TestKeys.ring("other-k1", seedBase: 77),     // another key id and secret
            TestKeys.ring("sessions-k1", seedBase: 77),  // the same key id, another secret
        ]
        for ring in others {
            let stranger = Self.sealedManager(ring: ring, clock: clock)
            let visitor = browser.copy()
            let (session, _) = try await visitor.request(stranger)
            #expect(session.origin == .ended(.malformed))
            #expect(session.isAuthenticated == false)
            #expect(session.userID == nil)
            #expect(try session.get(.note) == nil)
            #expect(visitor.sessionCookie == nil, "the dead cookie is cleared")
        }
    }

    // MARK: revocation lag

    @Test("ASVS-7.4.2 / ASVS-7.4.5: revokeAll on server A reaches server B within maximumLag (30 s), not later")
    func ASVS_7_4_2_sealedRevocationLagIsBounded() async throws {
        let clock = ManualWallClock()
        let shared = MemoryRevocationEpochStore()
        // Two servers: each its own RevocationEpochs, so each its own cache.
        let serverA = Self.sealedManager(epochs: shared, maximumLag: 30, clock: clock)
        let serverB = Self.sealedManager(epochs: shared, maximumLag: 30, clock: clock)
        let browser = Browser()
        try await browser.request(serverA) { try await serverA.logIn(&$0, userID: "alice", method: "password") }
        let start = clock.now()
        // B serves the user and caches her epoch.
        let onB = try await browser.copy().request(serverB).session
        #expect(onB.origin == .resumed)
        #expect(onB.userID == "alice")

        try await serverA.revokeAll(ofUser: "alice")
        #expect(try await shared.epoch(of: "alice") == 1)
        // A, which revoked, refuses at once; so does a server with no cached epoch.
        let onA = try await browser.copy().request(serverA).session
        #expect(onA.origin == .ended(.revoked))
        #expect(onA.isAuthenticated == false)
        let serverC = Self.sealedManager(epochs: shared, maximumLag: 30, clock: clock)
        #expect(try await browser.copy().request(serverC).session.origin == .ended(.revoked))

        // The documented bounded lag: B trusts its cached epoch for up to 30
        // seconds after reading it, so it still accepts the revoked session.
        for offset: TimeInterval in [0, 15, 29.5] {
            clock.set(start.addingTimeInterval(offset))
            let lagging = try await browser.copy().request(serverB).session
            #expect(lagging.origin == .resumed, "at +\(offset) s, inside the lag")
            #expect(lagging.userID == "alice")
        }
        // Past the lag, B re-reads the epoch and refuses.
        clock.set(start)
        clock.advance(by: 31)
        let late = browser.copy()
        let afterLag = try await late.request(serverB).session
        #expect(afterLag.origin == .ended(.revoked))
        #expect(afterLag.isAuthenticated == false)
        #expect(late.sessionCookie == nil, "the revoked cookie is cleared")
    }

    @Test("ASVS-7.4.2: a sign-in after revokeAll, on a server with a cached epoch, survives the cache refresh")
    func ASVS_7_4_2_sealedLoginAfterRevocationSurvives() async throws {
        let clock = ManualWallClock()
        let shared = MemoryRevocationEpochStore()
        let serverA = Self.sealedManager(epochs: shared, maximumLag: 30, clock: clock)
        let serverB = Self.sealedManager(epochs: shared, maximumLag: 30, clock: clock)
        let oldDevice = Browser()
        try await oldDevice.request(serverA) { try await serverA.logIn(&$0, userID: "alice", method: "password") }
        #expect(try await oldDevice.copy().request(serverB).session.userID == "alice")  // B caches epoch 0
        // An administrator signs alice out everywhere; she signs in again at
        // once, and the load balancer sends her to B.
        try await serverA.revokeAll(ofUser: "alice")
        clock.advance(by: 5)
        let newDevice = Browser()
        try await newDevice.request(serverB) { try await serverB.logIn(&$0, userID: "alice", method: "password") }
        #expect(try await newDevice.copy().request(serverB).session.userID == "alice")
        // Once every cache has refreshed, the new sign-in must still be live
        // (and the old one dead).
        clock.advance(by: 40)
        #expect(try await oldDevice.copy().request(serverB).session.isAuthenticated == false)
        let onA = try await newDevice.copy().request(serverA).session
        let onB = try await newDevice.copy().request(serverB).session
        #expect(onA.userID == "alice")
        #expect(onB.userID == "alice")
    }

    // MARK: typed values

    struct Profile: Codable, Sendable, Equatable {
        struct Address: Codable, Sendable, Equatable {
            var street: String
            var postcode: Int?
            var lines: [String]
        }
        var name: String
        var addresses: [Address]
        var preferences: [String: Bool]
        var score: Double
        var matrix: [[Int]]
        var nickname: String?
        var updatedAt: Date
    }

    static let profileKey = SessionKey<Profile>("profile")
    static let countKey = SessionKey<Int>("count")

    static let sampleProfile = Profile(
        name: "Zoë \"Z\" O'Brien 🚀 \u{0}",
        addresses: [
            .init(street: "1 Rue de l'Église", postcode: 75001, lines: ["Bât. B", ""]),
            .init(street: "Nowhere", postcode: nil, lines: []),
        ],
        preferences: ["dark": true, "emails": false],
        score: 0.1 + 0.2,
        matrix: [[1, -2], [], [Int.max, Int.min]],
        nickname: nil,
        updatedAt: Date(timeIntervalSince1970: 1_800_000_000.25)
    )

    @Test("get with the wrong type throws valueCoding; an unencodable value is refused", arguments: StoreKind.allCases)
    func wrongTypeThrowsValueCoding(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) {
                try $0.set(Self.countKey, 42)
                try $0.set(Self.profileKey, Self.sampleProfile)
                try $0.set(.note, "text")
            }
            // Fresh from the store (a new manager over it).
            let session = try await browser.request(subject.manager(clock: ManualWallClock())).session
            #expect(session.origin == .resumed)
            #expect(try session.get(Self.countKey) == 42)
            let mismatches: [(String, (Session) throws -> Void)] = [
                ("count", { _ = try $0.get(SessionKey<String>("count")) }),
                ("count", { _ = try $0.get(SessionKey<[Int]>("count")) }),
                ("profile", { _ = try $0.get(SessionKey<[String]>("profile")) }),
                ("profile", { _ = try $0.get(SessionKey<Profile.Address>("profile")) }),
                ("note", { _ = try $0.get(SessionKey<Int>("note")) }),
                ("note", { _ = try $0.get(SessionKey<Bool>("note")) }),
            ]
            for (name, read) in mismatches {
                let error = #expect(throws: SessionError.self) { try read(session) }
                guard case .valueCoding(let key, let reason)? = error else {
                    Issue.record("expected valueCoding for \(name), got \(String(describing: error))")
                    continue
                }
                #expect(key == name)
                #expect(!reason.contains("42") && !reason.contains("text"), "the reason names the type, not the value")
            }
            // A missing key is nil, not an error.
            #expect(try session.get(SessionKey<String>("absent")) == nil)

            // An unencodable value (JSON has no NaN) is refused and changes nothing.
            var fresh = session
            let error = #expect(throws: SessionError.self) { try fresh.set(SessionKey<Double>("ratio"), .nan) }
            #expect(error == .valueCoding(key: "ratio", reason: "Double is not encodable as JSON"))
            #expect(fresh.hasChanges == false)
            #expect(try fresh.get(SessionKey<Double>("ratio")) == nil)
        }
    }

    @Test("Nested Codable values round-trip through every store", arguments: StoreKind.allCases)
    func nestedValuesRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let browser = Browser()
            let many = (0..<50).map { index in
                Profile.Address(street: "Street \(index)", postcode: index.isMultiple(of: 2) ? index : nil, lines: (0..<(index % 4)).map { "line \($0)" })
            }
            let first = subject.manager(clock: clock)
            try await browser.request(first) {
                try await first.logIn(&$0, userID: "alice", method: "password")
                try $0.set(Self.profileKey, Self.sampleProfile)
                try $0.set(SessionKey<[Profile.Address]>("addresses"), many)
                try $0.set(SessionKey<[String: [Int?]]>("sparse"), ["a": [1, nil, 3], "": []])
                try $0.set(SessionKey<Profile?>("maybe"), nil)
            }
            if kind.isServerSide {
                // The store holds it: decode the raw record.
                let record = try #require(try await subject.stored(browser.sessionCookie))
                let values = try SessionValues(encoded: record.data)
                #expect(Set(values.entries.keys) == ["profile", "addresses", "sparse", "maybe"])
                let json = try #require(values.entries["profile"])
                #expect(try JSONDecoder().decode(Profile.self, from: Data(json)) == Self.sampleProfile)
            }
            // A new manager (another server) reads it back.
            clock.advance(by: 1)
            let session = try await browser.request(subject.manager(clock: clock)).session
            #expect(session.origin == .resumed)
            #expect(session.userID == "alice")
            #expect(try session.get(Self.profileKey) == Self.sampleProfile)
            #expect(try session.get(SessionKey<[Profile.Address]>("addresses")) == many)
            #expect(try session.get(SessionKey<[String: [Int?]]>("sparse")) == ["a": [1, nil, 3], "": []])
            #expect(try session.get(SessionKey<Profile?>("maybe")) == .some(nil))
            #expect(session.keys == ["addresses", "maybe", "profile", "sparse"])

            // A change to one nested value is saved and read back too.
            var changed = Self.sampleProfile
            changed.addresses[0].lines.append("3e étage")
            changed.preferences["dark"] = false
            try await browser.request(subject.manager(clock: clock)) { try $0.set(Self.profileKey, changed) }
            let again = try await browser.request(subject.manager(clock: clock)).session
            #expect(try again.get(Self.profileKey) == changed)
            #expect(try again.get(SessionKey<[Profile.Address]>("addresses")) == many)
        }
    }
}
