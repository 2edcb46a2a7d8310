import Foundation
import Synchronization
import Testing
@testable import TesseraClient

/// ``BearerTokens``: however many requests fail with one expired token at
/// once, the refresh runs once and every caller gets its result.
@Suite("BearerTokens single flight")
struct ClientBearerTokensTests {
    /// A thread-safe counter the refresh closures share with the test.
    final class Counter: Sendable {
        private let count = Mutex(0)
        @discardableResult func increment() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    /// A thread-safe list of the tokens the refresh was told had failed.
    final class FailedTokens: Sendable {
        private let tokens = Mutex<[String?]>([])
        func append(_ token: String?) { tokens.withLock { $0.append(token) } }
        var value: [String?] { tokens.withLock { $0 } }
    }

    struct RefreshFailed: Error {}

    @Test func test_bearer_fiftyConcurrentRefreshesAfterOneTokenRunOneRefresh() async throws {
        let calls = Counter()
        let failedTokens = FailedTokens()
        let tokens = BearerTokens(accessToken: "old") { failed in
            calls.increment()
            failedTokens.append(failed)
            try await Task.sleep(for: .milliseconds(50))
            return "new"
        }
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await tokens.refreshed(after: "old") } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0 == "new" })
        #expect(calls.value == 1)
        #expect(await tokens.refreshCount == 1)
        #expect(failedTokens.value == ["old"], "the refresh is told which token failed")
        #expect(try await tokens.current() == "new")
    }

    @Test func test_bearer_everyWaiterSendsTheNewTokenRightAfterTheRefresh() async throws {
        // What a client does: refresh after a 401, then ask for the token to send again.
        // Waiters may resume before the refresh's starter, and must still see the new token.
        let calls = Counter()
        let tokens = BearerTokens(accessToken: "old") { _ in
            calls.increment()
            try await Task.sleep(for: .milliseconds(20))
            return "new"
        }
        let sent = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let first = try await tokens.current()
                    _ = try await tokens.refreshed(after: first)
                    return try await tokens.current()
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(sent == Array(repeating: "new", count: 50))
        #expect(calls.value == 1)
    }

    @Test func test_bearer_aCallerWithAnAlreadyReplacedTokenGetsTheNewOneWithoutARefresh() async throws {
        let calls = Counter()
        let tokens = BearerTokens(accessToken: "old") { _ in
            "v\(calls.increment())"
        }
        #expect(try await tokens.refreshed(after: "old") == "v1")
        // A request that went out with "old" and fails late must not refresh again.
        #expect(try await tokens.refreshed(after: "old") == "v1")
        #expect(calls.value == 1)
        // A failure of the current token does refresh.
        #expect(try await tokens.refreshed(after: "v1") == "v2")
        #expect(calls.value == 2)
    }

    @Test func test_bearer_noTokenYetMeansTheFirstRequestRefreshes() async throws {
        let calls = Counter()
        let tokens = BearerTokens(accessToken: nil) { failed in
            #expect(failed == nil)
            calls.increment()
            return "first"
        }
        #expect(try await tokens.current() == "first")
        #expect(try await tokens.current() == "first")
        #expect(calls.value == 1)
    }

    @Test func test_bearer_aFailedRefreshIsReportedToEveryWaiterAndTheNextCallTriesAgain() async throws {
        let calls = Counter()
        let entered = Counter()
        let tokens = BearerTokens(accessToken: "old") { _ in
            if calls.increment() == 1 {
                // Hold the refresh until every caller is on its way, so all of them wait for this one.
                for _ in 0..<400 where entered.value < 50 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(50))
                throw RefreshFailed()
            }
            return "fresh"
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    entered.increment()
                    do {
                        _ = try await tokens.refreshed(after: "old")
                        return false
                    } catch {
                        return error is RefreshFailed
                    }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 50, "every waiter sees the refresh's own error")
        #expect(calls.value == 1)

        #expect(try await tokens.refreshed(after: "old") == "fresh")
        #expect(calls.value == 2)
        #expect(await tokens.refreshCount == 2)
    }
}
