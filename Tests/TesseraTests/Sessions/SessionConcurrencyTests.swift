import Foundation
import Testing
@testable import Tessera

/// No lost updates: the bug every surveyed peer has (express-session #606,
/// flask-session #71), where parallel requests overwrite each other.
@Suite("Session concurrency")
struct SessionConcurrencyTests {
    @Test("100 concurrent requests each set their own key: all 100 keys survive", arguments: StoreKind.serverSide)
    func hundredConcurrentWritersLoseNothing(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(SessionConfiguration(), clock: SystemWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "wanda", method: "password") }
            let header = browser.cookieHeader

            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        // Every request loads the same version, then races to save.
                        var session = try await manager.load(from: RequestCookies(header: header))
                        try session.set(SessionKey<Int>("key-\(index)"), index)
                        let cookies = try await manager.save(&session)
                        #expect(cookies.isEmpty, "no rotation, so no new cookie")
                    }
                }
                try await group.waitForAll()
            }

            let final = try await manager.load(from: RequestCookies(header: header))
            #expect(final.userID == "wanda")
            for index in 0..<100 {
                #expect(try final.get(SessionKey<Int>("key-\(index)")) == index)
            }
            // One version step per write: the sign-in created it at 1, then 100 writes.
            #expect(final.record?.version == 101)
        }
    }

    @Test("Two requests that set the same key: the later save wins, and neither fails", arguments: StoreKind.serverSide)
    func sameKeyLastWriterWins(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(SessionConfiguration(), clock: SystemWallClock())
            let browser = Browser()
            try await browser.request(manager) { try $0.set(.note, "initial") }
            let cookies = RequestCookies(header: browser.cookieHeader)
            var first = try await manager.load(from: cookies)
            var second = try await manager.load(from: cookies)
            try first.set(.note, "first")
            try second.set(.note, "second")
            try second.set(SessionKey<Bool>("only-second"), true)
            _ = try await manager.save(&first)
            _ = try await manager.save(&second)  // conflicts, re-reads, re-applies its keys
            let final = try await manager.load(from: cookies)
            #expect(try final.get(.note) == "second")
            #expect(try final.get(SessionKey<Bool>("only-second")) == true)
        }
    }

    @Test("A removal races a write of another key: both take effect", arguments: StoreKind.serverSide)
    func removalAndWriteBothApply(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(SessionConfiguration(), clock: SystemWallClock())
            let browser = Browser()
            try await browser.request(manager) { try $0.set(.note, "to be removed") }
            let cookies = RequestCookies(header: browser.cookieHeader)
            var remover = try await manager.load(from: cookies)
            var writer = try await manager.load(from: cookies)
            remover.remove(.note)
            try writer.set(SessionKey<Int>("count"), 7)
            _ = try await manager.save(&writer)
            _ = try await manager.save(&remover)
            let final = try await manager.load(from: cookies)
            #expect(try final.get(.note) == nil)
            #expect(try final.get(SessionKey<Int>("count")) == 7)
        }
    }

    @Test("A write racing a logout does not resurrect the session", arguments: StoreKind.serverSide)
    func writeAfterConcurrentLogoutIsDropped(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let manager = subject.manager(SessionConfiguration(), clock: SystemWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: "xena", method: "password") }
            let cookies = RequestCookies(header: browser.cookieHeader)
            var slow = try await manager.load(from: cookies)
            var logout = try await manager.load(from: cookies)
            manager.logOut(&logout)
            _ = try await manager.save(&logout)
            try slow.set(.note, "late write")
            let setCookies = try await manager.save(&slow)
            #expect(setCookies.contains { $0.maxAge == 0 }, "the late request clears the cookie")
            #expect(try await manager.load(from: cookies).isAuthenticated == false)
        }
    }
}
