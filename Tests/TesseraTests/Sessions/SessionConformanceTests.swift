import Foundation
import Testing
@testable import Tessera

/// One suite, every storage kind: the behaviour users rely on, named after
/// the checklist rows it proves (../shared/security/CHECKLIST.md).
@Suite("Session conformance")
struct SessionConformanceTests {
    static let policy = SessionConfiguration(idleTimeout: 300, absoluteTimeout: 3600, activityWriteInterval: 60)

    @Test("ASVS-7.2.4 / CS-S5: login rotates the ID and kills the old one; step-up rotates again", arguments: StoreKind.allCases)
    func ASVS_7_2_4_rotationOnLoginAndStepUp(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try $0.set(.note, "anonymous cart") }
            let t0 = try #require(browser.sessionCookie)

            let attacker = browser.copy()  // an attacker who planted or read T0
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "alice", method: "password") }
            let t1 = try #require(browser.sessionCookie)
            #expect(t1 != t0)
            if kind.isServerSide { #expect(try await subject.stored(t0) == nil) }
            // Data carries over into the new ID.
            let (resumed, _) = try await browser.request(manager)
            #expect(resumed.userID == "alice")
            #expect(try resumed.get(.note) == "anonymous cart")
            // The old token is not signed in.
            let (stale, _) = try await attacker.request(manager)
            #expect(stale.userID == nil)

            clock.advance(by: 10)
            let beforeStepUp = browser.copy()
            try await browser.request(manager) { try manager.reauthenticate(&$0, method: "password") }
            let t2 = try #require(browser.sessionCookie)
            #expect(t2 != t1)
            let (old, _) = try await beforeStepUp.request(manager)
            if kind.isServerSide {
                #expect(try await subject.stored(t1) == nil)
                #expect(old.userID == nil)
            }
            let (current, _) = try await browser.request(manager)
            #expect(current.authenticatedAt == clock.now())
        }
    }

    @Test("CS-S5: a privilege change rotates the ID", arguments: StoreKind.serverSide)
    func CS_S5_privilegeChangeRotates(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "bob", method: "password") }
            let before = try #require(browser.sessionCookie)
            try await browser.request(manager) { manager.rotate(&$0) }
            #expect(browser.sessionCookie != before)
            #expect(try await subject.stored(before) == nil)
            #expect(try await browser.request(manager).session.userID == "bob")
        }
    }

    @Test("CS-S3: an ID the store never issued is not adopted", arguments: StoreKind.allCases)
    func CS_S3_unknownIDIsNotAdopted(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let planted = SessionID().cookieValue
            let browser = Browser(jar: [SessionConfiguration.Cookie().name: planted])
            let (session, _) = try await browser.request(manager) { try $0.set(.note, "x") }
            #expect(session.origin == .ended(kind.isServerSide ? .unknown : .malformed))
            let issued = try #require(browser.sessionCookie)
            #expect(issued != planted)
            #expect(try await subject.stored(planted) == nil)
        }
    }

    @Test("CS-S4: malformed IDs are refused before any store lookup", arguments: StoreKind.serverSide)
    func CS_S4_malformedIDsNeverReachTheStore(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let counting = CountingStore(subject.store!)
            let manager = SessionManager(store: counting, configuration: Self.policy, clock: ManualWallClock())
            for hostile in ["' OR 1=1--", String(repeating: "A", count: 10_000), "tsk_live_0123456789abcdef0123456789abcdef0", SessionID().cookieValue + "A"] {
                let session = try await manager.load(from: RequestCookies(header: "__Host-tessera-session=\(hostile)"))
                #expect(session.origin == .ended(.malformed))
            }
            #expect(counting.loads == 0)
        }
    }

    @Test("ASVS-7.2.2: two logins get two different tokens; an API key is not a session", arguments: StoreKind.allCases)
    func ASVS_7_2_2_tokensAreDynamic(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let first = Browser(), second = Browser()
            try await first.request(manager) { try await manager.logIn(&$0, userID: "carol", method: "password") }
            try await second.request(manager) { try await manager.logIn(&$0, userID: "carol", method: "password") }
            #expect(try #require(first.sessionCookie) != (try #require(second.sessionCookie)))
            let apiKey = Browser(jar: [SessionConfiguration.Cookie().name: "tsk_4fGh7Kq2Lm9Np3Rs5Tv8Wx1Yz6Bc0Df2Gh4Jk7Mn9"])
            #expect(try await apiKey.request(manager).session.isAuthenticated == false)
        }
    }

    @Test("ASVS-7.3.1: the idle timeout ends the session and deletes the record", arguments: StoreKind.allCases)
    func ASVS_7_3_1_idleTimeout(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "dave", method: "password") }
            let token = browser.sessionCookie
            let start = clock.now()

            clock.set(start.addingTimeInterval(Self.policy.idleTimeout - 1))
            let live = try await manager.load(from: RequestCookies(header: browser.cookieHeader))
            #expect(live.userID == "dave")

            clock.set(start.addingTimeInterval(Self.policy.idleTimeout + 1))
            let (expired, _) = try await browser.request(manager)
            #expect(expired.userID == nil)
            #expect(expired.origin == .ended(.idleTimeout))
            if kind.isServerSide { #expect(try await subject.stored(token) == nil) }
            // CS-S12: the dead cookie is cleared.
            #expect(browser.lastSetCookies.contains { $0.maxAge == 0 })
        }
    }

    @Test("ASVS-7.3.2 / CS-S10: activity never extends a session past its absolute lifetime", arguments: StoreKind.allCases)
    func ASVS_7_3_2_absoluteTimeout(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "erin", method: "password") }
            let created = clock.now()
            while clock.now() < created.addingTimeInterval(Self.policy.absoluteTimeout - 60) {
                clock.advance(by: 60)
                #expect(try await browser.request(manager).session.userID == "erin")
            }
            clock.set(created.addingTimeInterval(Self.policy.absoluteTimeout))
            let (ended, _) = try await browser.request(manager)
            #expect(ended.userID == nil)
            #expect(ended.origin == .ended(.absoluteTimeout))
        }
    }

    @Test("ASVS-7.2.1: validity comes from the store or the sealed timestamps, never from the cookie's attributes", arguments: StoreKind.allCases)
    func ASVS_7_2_1_clientCannotExtendValidity(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            var policy = Self.policy
            policy.cookie.persistent = true
            let manager = subject.manager(policy, clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "frank", method: "password") }
            // The client "extends" its cookie (it keeps sending it past Max-Age):
            // the server still ends the session by its own clock.
            clock.advance(by: policy.idleTimeout + 1)
            #expect(try await browser.request(manager).session.userID == nil)
            if !kind.isServerSide {
                // A sealed cookie whose bytes were altered is refused outright.
                try await browser.request(manager) { try await manager.logIn(&$0, userID: "frank", method: "password") }
                var value = Array(try #require(browser.sessionCookie).utf8)
                value[value.count - 5] = value[value.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                let forged = Browser(jar: [policy.cookie.name: String(decoding: value, as: UTF8.self)])
                let (session, _) = try await forged.request(manager)
                #expect(session.userID == nil)
                #expect(session.origin == .ended(.malformed))
            }
        }
    }

    @Test("ASVS-7.4.1 / CS-S12: logout deletes the record and clears the cookie; replay is refused", arguments: StoreKind.allCases)
    func ASVS_7_4_1_logout(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "grace", method: "password") }
            let replay = browser.copy()
            let token = browser.sessionCookie
            try await browser.request(manager) { manager.logOut(&$0) }
            let clearing = try #require(browser.lastSetCookies.first { $0.name == Self.policy.cookie.name })
            let header = try clearing.headerValue(publicSuffixes: .builtIn)
            #expect(header.hasPrefix("__Host-tessera-session=;"))
            #expect(header.contains("Max-Age=0"))
            #expect(header.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
            #expect(browser.sessionCookie == nil)
            if kind.isServerSide {
                #expect(try await subject.stored(token) == nil)
                #expect(try await replay.request(manager).session.isAuthenticated == false)
            }
        }
    }

    @Test("ASVS-7.4.2: disabling an account ends all of its sessions", arguments: StoreKind.allCases)
    func ASVS_7_4_2_disableUserEndsEverySession(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let devices = [Browser(), Browser(), Browser()]
            for device in devices {
                try await device.request(manager) { try await manager.logIn(&$0, userID: "heidi", method: "password") }
            }
            let bystander = Browser()
            try await bystander.request(manager) { try await manager.logIn(&$0, userID: "ivan", method: "password") }
            clock.advance(by: 1)
            try await manager.revokeAll(ofUser: "heidi")
            for device in devices {
                #expect(try await device.request(manager).session.isAuthenticated == false)
            }
            #expect(try await bystander.request(manager).session.userID == "ivan")
        }
    }

    @Test("ASVS-7.4.3: a password change ends the other sessions and rotates this one", arguments: StoreKind.allCases)
    func ASVS_7_4_3_passwordChangeEndsOthers(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let laptop = Browser(), phone = Browser()
            try await laptop.request(manager) { try await manager.logIn(&$0, userID: "judy", method: "password") }
            try await phone.request(manager) { try await manager.logIn(&$0, userID: "judy", method: "password") }
            let before = laptop.sessionCookie
            clock.advance(by: 1)
            try await laptop.request(manager) { try await manager.passwordChanged(&$0, terminateOthers: true) }
            #expect(laptop.sessionCookie != before)
            #expect(try await laptop.request(manager).session.userID == "judy")
            #expect(try await phone.request(manager).session.isAuthenticated == false)
            if kind.isServerSide { #expect(try await subject.stored(before) == nil) }
        }
    }

    @Test("ASVS-7.4.5: an administrator ends one user's sessions, or everyone's", arguments: StoreKind.allCases)
    func ASVS_7_4_5_adminRevocation(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let users = ["ken", "lea", "max"]
            var browsers: [String: Browser] = [:]
            for user in users {
                let browser = Browser()
                try await browser.request(manager) { try await manager.logIn(&$0, userID: user, method: "password") }
                browsers[user] = browser
            }
            clock.advance(by: 1)
            try await manager.revokeAll(ofUser: "ken")
            #expect(try await browsers["ken"]!.request(manager).session.isAuthenticated == false)
            #expect(try await browsers["lea"]!.request(manager).session.userID == "lea")
            clock.advance(by: 1)
            try await manager.revokeEveryone()
            for user in users {
                #expect(try await browsers[user]!.request(manager).session.isAuthenticated == false)
            }
        }
    }

    @Test("ASVS-7.5.1 / ASVS-7.5.3: sensitive actions need a recent sign-in", arguments: StoreKind.allCases)
    func ASVS_7_5_1_recentAuthentication(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(SessionConfiguration(idleTimeout: 3600), clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "nina", method: "password") }
            clock.advance(by: 60)
            var session = try await browser.request(manager).session
            try manager.requireRecentAuthentication(session, within: 5 * 60)
            // ASVS-7.5.3: a stricter window for the most sensitive actions.
            #expect(throws: SessionError.reauthenticationRequired(maximumAge: 30)) {
                try manager.requireRecentAuthentication(session, within: 30)
            }
            clock.advance(by: 9 * 60)
            session = try await browser.request(manager).session
            #expect(throws: SessionError.reauthenticationRequired(maximumAge: 300)) {
                try manager.requireRecentAuthentication(session, within: 5 * 60)
            }
            try await browser.request(manager) { try manager.reauthenticate(&$0, method: "password") }
            try manager.requireRecentAuthentication(try await browser.request(manager).session, within: 5 * 60)
            #expect(throws: SessionError.notAuthenticated) {
                try manager.requireRecentAuthentication(Session(origin: .none, id: nil, record: nil, values: SessionValues(), client: SessionClient()), within: 300)
            }
        }
    }

    @Test("ASVS-7.5.2: users list their sessions by handle and can't end another user's", arguments: StoreKind.serverSide)
    func ASVS_7_5_2_listAndRevokeOwnSessions(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let laptop = Browser(), phone = Browser(), other = Browser()
            try await laptop.request(manager, client: SessionClient(address: "192.0.2.1", userAgent: "Firefox")) {
                try await manager.logIn(&$0, userID: "olga", method: "password")
            }
            clock.advance(by: 1)
            try await phone.request(manager, client: SessionClient(address: "198.51.100.7", userAgent: "Safari")) {
                try await manager.logIn(&$0, userID: "olga", method: "passkey")
            }
            try await other.request(manager) { try await manager.logIn(&$0, userID: "mallory", method: "password") }

            let current = try await laptop.request(manager).session
            let listed = try await manager.sessions(ofUser: "olga", current: current)
            #expect(listed.count == 2)
            #expect(listed.map(\.userAgent) == ["Firefox", "Safari"])
            #expect(listed.map(\.authenticationMethod) == ["password", "passkey"])
            #expect(listed.map(\.isCurrent) == [true, false])
            // The listing never carries a token.
            let dump = "\(listed)"
            for token in [laptop.sessionCookie, phone.sessionCookie].compactMap({ $0 }) { #expect(!dump.contains(token)) }

            // IDOR: mallory names olga's phone session: nothing happens.
            #expect(try await manager.revoke(listed[1].handle, ofUser: "mallory") == false)
            #expect(try await phone.request(manager).session.userID == "olga")
            #expect(try await manager.revoke(listed[1].handle, ofUser: "olga") == true)
            #expect(try await phone.request(manager).session.isAuthenticated == false)
            #expect(try await laptop.request(manager).session.userID == "olga")
        }
    }

    @Test("ASVS-7.4.3: end every other session, keep this one", arguments: StoreKind.allCases)
    func ASVS_7_4_3_revokeOthers(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            let mine = Browser(), stolen = Browser()
            try await mine.request(manager) { try await manager.logIn(&$0, userID: "pat", method: "password") }
            try await stolen.request(manager) { try await manager.logIn(&$0, userID: "pat", method: "password") }
            clock.advance(by: 1)
            try await mine.request(manager) { try await manager.revokeOthers(of: &$0) }
            #expect(try await mine.request(manager).session.userID == "pat")
            #expect(try await stolen.request(manager).session.isAuthenticated == false)
        }
    }

    @Test("ASVS-7.1.2: the per-user session limit evicts the oldest, or refuses", arguments: StoreKind.serverSide)
    func ASVS_7_1_2_concurrentSessionLimit(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            var policy = Self.policy
            policy.maximumSessionsPerUser = 3
            let evicting = subject.manager(policy, clock: clock)
            var devices: [Browser] = []
            for _ in 0..<4 {
                clock.advance(by: 1)
                let device = Browser()
                try await device.request(evicting) { try await evicting.logIn(&$0, userID: "quinn", method: "password") }
                devices.append(device)
            }
            #expect(try await devices[0].request(evicting).session.isAuthenticated == false)
            for device in devices.dropFirst() { #expect(try await device.request(evicting).session.userID == "quinn") }

            policy.sessionLimitPolicy = .refuseNew
            let refusing = subject.manager(policy, clock: clock)
            var fifth = try await refusing.load(from: RequestCookies(header: ""))
            await #expect(throws: SessionError.tooManySessions(limit: 3)) {
                try await refusing.logIn(&fifth, userID: "quinn", method: "password")
            }
            #expect(try await refusing.sessions(ofUser: "quinn").count == 3)
        }
    }

    @Test("K-16: a tossed duplicate cookie never displaces the real session", arguments: StoreKind.allCases)
    func K_16_duplicateCookieNames(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let victim = Browser(), attacker = Browser()
            try await victim.request(manager) { try await manager.logIn(&$0, userID: "rita", method: "password") }
            try await attacker.request(manager) { try await manager.logIn(&$0, userID: "attacker", method: "password") }
            let name = Self.policy.cookie.name
            for order in [[SessionID().cookieValue, victim.sessionCookie!], [victim.sessionCookie!, "garbage"]] {
                let header = order.map { "\(name)=\($0)" }.joined(separator: "; ")
                #expect(try await manager.load(from: RequestCookies(header: header)).userID == "rita")
            }
        }
    }

    @Test("Activity writes are throttled, and a persistent cookie is re-issued whenever its expiry moves", arguments: StoreKind.allCases)
    func activityWritesAreThrottled(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            var policy = Self.policy
            policy.cookie.persistent = true
            let manager = subject.manager(policy, clock: clock)
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "sam", method: "password") }
            let version = try await browser.request(manager).session.record?.version
            clock.advance(by: 30)
            try await browser.request(manager)
            #expect(browser.lastSetCookies.isEmpty, "no write, no cookie within the interval")
            #expect(try await browser.request(manager).session.record?.version == version)
            clock.advance(by: 31)
            try await browser.request(manager)
            let reissued = try #require(browser.lastSetCookies.first)
            #expect(reissued.maxAge == Int(policy.idleTimeout))
            #expect(try await browser.request(manager).session.record?.version == version.map { $0 + 1 })
        }
    }

    @Test("CS-S8 / ASVS-3.3.1 / ASVS-3.3.2 / CS-S9: the default session cookie", arguments: StoreKind.allCases)
    func CS_S8_defaultCookieAttributes(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(SessionConfiguration(), clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "tara", method: "password") }
            let cookie = try #require(browser.lastSetCookies.first)
            let header = try cookie.headerValue(publicSuffixes: .builtIn)
            #expect(cookie.name.hasPrefix("__Host-"))
            for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] { #expect(header.contains(attribute)) }
            for absent in ["Expires", "Max-Age", "Domain"] { #expect(!header.contains(absent)) }
        }
    }

    @Test("A new anonymous session with nothing in it is not stored and sets no cookie", arguments: StoreKind.allCases)
    func emptySessionsAreNotStored(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager)
            #expect(browser.lastSetCookies.isEmpty)
            if let store = subject.store { #expect(try await store.deleteAllRecords() == 0) }
        }
    }

    @Test("A different user signing in on the same browser starts from empty data", arguments: StoreKind.serverSide)
    func switchingUsersFlushesData(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(Self.policy, clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) {
                try await manager.logIn(&$0, userID: "uma", method: "password")
                try $0.set(.note, "uma's secret")
            }
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "victor", method: "password") }
            let session = try await browser.request(manager).session
            #expect(session.userID == "victor")
            #expect(try session.get(.note) == nil)
        }
    }

    @Test("The sweeper deletes expired records in batches, from an injected clock", arguments: StoreKind.serverSide)
    func sweeperDeletesExpiredRecords(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let clock = ManualWallClock()
            let manager = subject.manager(Self.policy, clock: clock)
            for index in 0..<25 {
                try await Browser().request(manager) { try $0.set(.note, "n\(index)") }
            }
            clock.advance(by: 100)
            let survivor = Browser()
            try await survivor.request(manager) { try $0.set(.note, "late") }
            clock.advance(by: Self.policy.idleTimeout - 50)
            let sweeper = SessionSweeper(store: subject.store!, batchSize: 10, clock: clock)
            #expect(try await sweeper.sweep() == 25)
            #expect(try await sweeper.sweep() == 0)
            #expect(try await survivor.request(manager).session.get(.note) == "late")
        }
    }
}

/// Counts the loads that reach a store.
final class CountingStore: SessionStore, @unchecked Sendable {
    let base: any SessionStore
    private let lock = NSLock()
    private var loadCount = 0
    var loads: Int { lock.withLock { loadCount } }

    init(_ base: any SessionStore) { self.base = base }

    func load(_ key: SessionLookupKey) async throws(StoreError) -> SessionRecord? {
        lock.withLock { loadCount += 1 }
        return try await base.load(key)
    }
    func insert(_ record: SessionRecord) async throws(StoreError) { try await base.insert(record) }
    func update(_ record: SessionRecord, replacing oldKey: SessionLookupKey, expectedVersion: Int64) async throws(StoreError) -> Bool {
        try await base.update(record, replacing: oldKey, expectedVersion: expectedVersion)
    }
    func delete(_ key: SessionLookupKey) async throws(StoreError) { try await base.delete(key) }
    func records(ofUser userID: String) async throws(StoreError) -> [SessionRecord] { try await base.records(ofUser: userID) }
    func deleteRecords(ofUser userID: String, except kept: SessionLookupKey?) async throws(StoreError) -> Int {
        try await base.deleteRecords(ofUser: userID, except: kept)
    }
    func deleteAllRecords() async throws(StoreError) -> Int { try await base.deleteAllRecords() }
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int { try await base.deleteExpired(asOf: now, limit: limit) }
}
