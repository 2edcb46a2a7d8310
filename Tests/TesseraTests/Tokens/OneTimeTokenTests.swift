import Crypto
import Foundation
import Synchronization
import Testing
@testable import Tessera

/// Reset, activation and verification tokens: random, short-lived, single-use (ASVS 6.4.1).
@Suite struct OneTimeTokenTests {
    let clock = ManualWallClock()
    let store = CountingOneTimeTokenStore()

    func tokens(_ configuration: OneTimeTokens.Configuration = .init(), random: RandomSource = .system) -> OneTimeTokens {
        OneTimeTokens(configuration: configuration, store: store, clock: clock, random: random)
    }

    @Test func test_ASVS_6_4_1_resetTokenIsSingleUse() async throws {
        let tokens = tokens()
        let issued = try await tokens.issue(for: "alice", purpose: .passwordReset)
        #expect(await tokens.redeem(issued.token, purpose: .passwordReset) == .redeemed(subject: "alice"))
        #expect(await tokens.redeem(issued.token, purpose: .passwordReset) == .rejected(.unknown))
        clock.advance(by: 1)
        #expect(await tokens.redeem(issued.token, purpose: .passwordReset) == .rejected(.unknown))
    }

    @Test func test_ASVS_6_4_1_concurrentRedemptionsHaveOneWinner() async throws {
        let tokens = tokens()
        let issued = try await tokens.issue(for: "alice", purpose: .passwordReset)
        let answers = await withTaskGroup(of: OneTimeTokenRedemption.self) { group in
            for _ in 0..<20 { group.addTask { await tokens.redeem(issued.token, purpose: .passwordReset) } }
            return await group.reduce(into: [OneTimeTokenRedemption]()) { $0.append($1) }
        }
        #expect(answers.filter { $0 == .redeemed(subject: "alice") }.count == 1)
        #expect(answers.filter { $0 == .rejected(.unknown) }.count == 19)
    }

    @Test func test_ASVS_6_4_1_resetTokenDiesAfterTTL() async throws {
        let tokens = tokens()
        let start = clock.now()
        let early = try await tokens.issue(for: "alice", purpose: .passwordReset, replacingEarlier: false)
        let late = try await tokens.issue(for: "alice", purpose: .passwordReset, replacingEarlier: false)
        #expect(early.expiresAt == start.addingTimeInterval(30 * 60))
        clock.set(early.expiresAt.addingTimeInterval(-0.001))
        #expect(await tokens.redeem(early.token, purpose: .passwordReset) == .redeemed(subject: "alice"))
        clock.set(late.expiresAt)
        #expect(await tokens.redeem(late.token, purpose: .passwordReset) == .expired)
        // Expired is used up too: even with the clock turned back, the token stays dead.
        clock.set(start)
        #expect(await tokens.redeem(late.token, purpose: .passwordReset) == .rejected(.unknown))
    }

    @Test func test_ASVS_6_4_1_lifetimesPerPurposeAndOverride() async throws {
        let tokens = tokens()
        let now = clock.now()
        let cases: [(OneTimeTokenPurpose, TimeInterval)] = [
            (.passwordReset, 1_800), (.emailVerification, 86_400), (.accountActivation, 172_800), ("invite", 1_800),
        ]
        for (purpose, lifetime) in cases {
            #expect(try await tokens.issue(for: "alice", purpose: purpose).expiresAt == now.addingTimeInterval(lifetime))
        }
        let short = try await tokens.issue(for: "bob", purpose: .accountActivation, lifetime: 60)
        #expect(short.expiresAt == now.addingTimeInterval(60))
        clock.advance(by: 60)
        #expect(await tokens.redeem(short.token, purpose: .accountActivation) == .expired)

        let custom = self.tokens(.init(lifetimes: [.passwordReset: 600], defaultLifetime: 120))
        #expect(try await custom.issue(for: "carol", purpose: .passwordReset).expiresAt == clock.now().addingTimeInterval(600))
        #expect(try await custom.issue(for: "carol", purpose: .emailVerification).expiresAt == clock.now().addingTimeInterval(120))
    }

    @Test func test_ASVS_6_4_1_tokenCarries256BitsFromTheSystemRNG() async throws {
        // Every token is the prefix and 32 bytes drawn from the random source, in base62.
        let draws = Mutex<[[UInt8]]>([])
        let recording = RandomSource { count in
            let bytes = SecureRandom.bytes(count)
            draws.withLock { $0.append(bytes) }
            return bytes
        }
        let issued = try await tokens(random: recording).issue(for: "alice", purpose: .passwordReset)
        let drawn = draws.withLock { $0 }
        #expect(drawn.map(\.count) == [32])
        #expect(issued.token == "tso_" + Base62.encode(drawn[0], width: 43))
        #expect(store.hashes == [Array(SHA256.hash(data: Array(issued.token.utf8)))])

        // The extremes of 256 bits still make 43 digits, and work.
        for fill: UInt8 in [0x00, 0xFF] {
            let extreme = try await tokens(random: RandomSource { Array(repeating: fill, count: $0) }).issue(for: "bob", purpose: .emailVerification)
            #expect(extreme.token.utf8.count == OneTimeTokens.length)
            #expect(await tokens().redeem(extreme.token, purpose: .emailVerification) == .redeemed(subject: "bob"))
        }

        // The default source is the system CSPRNG: 1000 tokens, all well formed, all distinct.
        let system = OneTimeTokens(store: MemoryOneTimeTokenStore(), clock: clock)
        var seen = Set<String>()
        let pattern = try Regex("^" + OneTimeTokens.pattern + "$")
        for index in 0..<1000 {
            let token = try await system.issue(for: "user-\(index)", purpose: .passwordReset).token
            #expect(token.utf8.count == 47 && token.hasPrefix("tso_"))
            #expect(token.utf8.dropFirst(4).allSatisfy(Base62.isDigit))
            #expect(token.wholeMatch(of: pattern) != nil)
            seen.insert(token)
        }
        #expect(seen.count == 1000)
        // 43 base62 digits hold 256 bits: 62^43 > 2^256.
        #expect(43 * log2(62.0) >= 256)
    }

    @Test func newerTokenReplacesOlder() async throws {
        let tokens = tokens()
        let first = try await tokens.issue(for: "alice", purpose: .passwordReset)
        let activation = try await tokens.issue(for: "alice", purpose: .accountActivation)
        let bobs = try await tokens.issue(for: "bob", purpose: .passwordReset)
        let second = try await tokens.issue(for: "alice", purpose: .passwordReset)
        #expect(await tokens.redeem(first.token, purpose: .passwordReset) == .rejected(.unknown))
        #expect(await tokens.redeem(second.token, purpose: .passwordReset) == .redeemed(subject: "alice"))
        // Only the same subject's tokens of the same purpose are replaced.
        #expect(await tokens.redeem(activation.token, purpose: .accountActivation) == .redeemed(subject: "alice"))
        #expect(await tokens.redeem(bobs.token, purpose: .passwordReset) == .redeemed(subject: "bob"))

        // Asked not to replace, both live.
        let a = try await tokens.issue(for: "carol", purpose: .emailVerification)
        let b = try await tokens.issue(for: "carol", purpose: .emailVerification, replacingEarlier: false)
        #expect(await tokens.redeem(a.token, purpose: .emailVerification) == .redeemed(subject: "carol"))
        #expect(await tokens.redeem(b.token, purpose: .emailVerification) == .redeemed(subject: "carol"))
    }

    @Test func test_ASVS_6_4_1_wrongPurposeIsRefused() async throws {
        let tokens = tokens()
        let reset = try await tokens.issue(for: "alice", purpose: .passwordReset)
        for other: OneTimeTokenPurpose in [.accountActivation, .emailVerification, "PASSWORD_RESET"] {
            #expect(await tokens.redeem(reset.token, purpose: other) == .rejected(.unknown))
        }
        // Refusing it for another purpose didn't use it up.
        #expect(await tokens.redeem(reset.token, purpose: .passwordReset) == .redeemed(subject: "alice"))
    }

    @Test func revokeAllKillsOutstandingResetTokens() async throws {
        let tokens = tokens()
        let reset = try await tokens.issue(for: "alice", purpose: .passwordReset)
        let activation = try await tokens.issue(for: "alice", purpose: .accountActivation)
        #expect(try await tokens.revokeAll(ofSubject: "alice", purpose: .passwordReset) == 1)
        #expect(await tokens.redeem(reset.token, purpose: .passwordReset) == .rejected(.unknown))
        #expect(await tokens.redeem(activation.token, purpose: .accountActivation) == .redeemed(subject: "alice"))
    }

    static let malformed: [String] = {
        let body = String(repeating: "A", count: 43)
        return [
            "", "tso_", "tso_" + String(body.dropLast()), "tso_" + body + "A", "tsr_" + body, "TSO_" + body, "tso-" + body, body + "tso_",
            "tso_" + String(body.dropLast()) + "\u{0}", "\u{0}tso_" + String(body.dropLast()), "tso_" + String(body.dropLast()) + "-",
            "tso_" + String(body.dropLast()) + "_", "tso_" + String(body.dropLast()) + " ", " tso_" + String(body.dropLast()),
            "tso_" + String(body.dropLast(2)) + "é", "tso_" + String(body.dropLast()) + "\n",
            String(repeating: "x", count: 101), "tso_" + String(repeating: "A", count: 97), String(repeating: "tso_" + body, count: 100),
        ]
    }()

    @Test(arguments: malformed)
    func malformedTokensAreRefusedWithoutTouchingTheStore(_ token: String) async throws {
        let tokens = tokens()
        #expect(await tokens.redeem(token, purpose: .passwordReset) == .rejected(.malformed))
        #expect(store.calls == 0)
    }

    @Test func aWellFormedTokenCostsExactlyOneStoreCall() async throws {
        let tokens = tokens()
        #expect(await tokens.redeem("tso_" + String(repeating: "z", count: 43), purpose: .passwordReset) == .rejected(.unknown))
        #expect(store.calls == 1)
    }

    @Test func purposeTextIsValidated() {
        for valid in ["a", "password_reset", "with space", "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", String(repeating: "p", count: 64)] {
            #expect(OneTimeTokenPurpose(rawValue: valid)?.rawValue == valid)
        }
        for invalid in ["", String(repeating: "p", count: 65), "new\nline", "nul\u{0}", "tab\t", "del\u{7F}", "é", "✓"] {
            #expect(OneTimeTokenPurpose(rawValue: invalid) == nil)
        }
        #expect(OneTimeTokenPurpose.passwordReset.rawValue == "password_reset")
        #expect(OneTimeTokenPurpose.accountActivation.rawValue == "account_activation")
        #expect(OneTimeTokenPurpose.emailVerification.rawValue == "email_verification")
        #expect("\(OneTimeTokenPurpose.passwordReset)" == "password_reset")
    }

    @Test func anUnavailableStoreFailsClosed() async throws {
        let tokens = OneTimeTokens(store: FailingOneTimeTokenStore())
        #expect(await tokens.redeem("tso_" + String(repeating: "1", count: 43), purpose: .passwordReset) == .unavailable(.unavailable("down")))
        await #expect(throws: StoreError.unavailable("down")) { _ = try await tokens.issue(for: "alice", purpose: .passwordReset) }
    }

    /// The README's reset flow, as written there, then a password change that kills a pending link.
    @Test func theReadmeResetFlowWorksEndToEnd() async throws {
        let directory = MemoryCredentialDirectory()
        let hasher = PasswordTestSupport.hasher()
        directory.add(login: "alice", PasswordCredential(userID: "u-alice", passwordHash: try await hasher.hash("forgotten password")))
        let policy = PasswordPolicy()
        let (userID, login, newPassword) = ("u-alice", "alice", "a brand new secret")

        let resets = tokens()
        let issued = try await resets.issue(for: userID, purpose: .passwordReset)
        let postedToken = issued.token
        try await policy.validate(newPassword, username: login)
        switch await resets.redeem(postedToken, purpose: .passwordReset) {
        case .redeemed(let userID): try await directory.replacePasswordHash(ofUser: userID, with: try await hasher.hash(newPassword))
        case .rejected, .expired, .unavailable: Issue.record("a fresh reset link must work")
        }
        let passwords = PasswordLogin(hasher: hasher, directory: directory)
        #expect(await passwords.attempt(login: "alice", password: newPassword, address: "a") == .succeeded(userID: "u-alice"))
        #expect(await resets.redeem(postedToken, purpose: .passwordReset) == .rejected(.unknown))

        // A link still pending when the user changes their password dies with the change.
        let pending = try await resets.issue(for: userID, purpose: .passwordReset)
        let outcome = await passwords.changePassword(login: "alice", current: newPassword, new: "another new secret", policy: policy, address: "a")
        #expect(outcome == .changed)
        if outcome == .changed { #expect(try await resets.revokeAll(ofSubject: userID, purpose: .passwordReset) == 1) }
        #expect(await resets.redeem(pending.token, purpose: .passwordReset) == .rejected(.unknown))
    }

    @Test func test_ASVS_6_4_1_defaultLifetimesMatchTheDocumentation() throws {
        let text = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let readme = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let lifetimes = OneTimeTokens.Configuration()
        #expect(readme.contains("30 minutes for a password reset, 24 hours for an e-mail verification and 48 hours for an account activation"))
        #expect(lifetimes.lifetime(for: .passwordReset) == 30 * 60)
        #expect(lifetimes.lifetime(for: .emailVerification) == 24 * 3_600)
        #expect(lifetimes.lifetime(for: .accountActivation) == 48 * 3_600)
    }
}

/// Issues, redemptions and refusals leave an audit trail, with no token in it.
@Suite struct OneTimeTokenAuditTests {
    @Test func eachOutcomeEmitsOneEventWithoutTheToken() async throws {
        let logs = CapturedLogs()
        let clock = ManualWallClock()
        let tokens = OneTimeTokens(store: MemoryOneTimeTokenStore(), audit: AuditLog(logger: logs.logger), clock: clock)
        let used = try await tokens.issue(for: "alice", purpose: .passwordReset, client: "203.0.113.7")
        _ = await tokens.redeem(used.token, purpose: .passwordReset, client: "203.0.113.8")
        _ = await tokens.redeem(used.token, purpose: .passwordReset)
        _ = await tokens.redeem("tso_nope", purpose: .accountActivation)
        let stale = try await tokens.issue(for: "bob", purpose: .emailVerification)
        clock.advance(by: 86_400)
        _ = await tokens.redeem(stale.token, purpose: .emailVerification)

        let events = logs.lines.filter { $0.message == "audit" }
        #expect(events.map { $0.metadata["event"] } == [
            "one_time_token.issued", "one_time_token.redeemed", "one_time_token.rejected", "one_time_token.rejected",
            "one_time_token.issued", "one_time_token.rejected",
        ])
        #expect(events.map(\.level) == [.notice, .notice, .warning, .warning, .notice, .warning])
        #expect(events.map { $0.metadata["user"] } == ["alice", "alice", nil, nil, "bob", "bob"])
        #expect(events.map { $0.metadata["purpose"] } == [
            "password_reset", "password_reset", "password_reset", "account_activation", "email_verification", "email_verification",
        ])
        #expect(events.map { $0.metadata["reason"] } == [nil, nil, "unknown", "malformed", nil, "expired"])
        #expect(events[0].metadata["client"] == "203.0.113.7" && events[1].metadata["client"] == "203.0.113.8")
        let rendered = logs.lines.map(\.rendered).joined()
        for token in [used.token, stale.token] {
            #expect(!rendered.contains(token))
            #expect(!rendered.contains(String(token.dropFirst(4))))
        }
    }
}

/// A memory store that counts every call made to it.
final class CountingOneTimeTokenStore: OneTimeTokenStore {
    private let inner = MemoryOneTimeTokenStore()
    private let counter = Mutex(0)
    private let hashList = Mutex<[[UInt8]]>([])

    /// How many store methods were called.
    var calls: Int { counter.withLock { $0 } }
    /// The hashes inserted so far.
    var hashes: [[UInt8]] { hashList.withLock { $0 } }

    func insert(_ record: OneTimeTokenRecord) async throws(StoreError) {
        counter.withLock { $0 += 1 }
        hashList.withLock { $0.append(record.tokenHash) }
        try await inner.insert(record)
    }

    func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord? {
        counter.withLock { $0 += 1 }
        return try await inner.consume(tokenHash: tokenHash, purpose: purpose)
    }

    func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int {
        counter.withLock { $0 += 1 }
        return try await inner.deleteAll(subject: subject, purpose: purpose)
    }

    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int {
        counter.withLock { $0 += 1 }
        return try await inner.deleteExpired(asOf: now, limit: limit)
    }
}

/// A one-time token store whose backend is down.
struct FailingOneTimeTokenStore: OneTimeTokenStore {
    func insert(_ record: OneTimeTokenRecord) async throws(StoreError) { throw .unavailable("down") }
    func consume(tokenHash: [UInt8], purpose: OneTimeTokenPurpose) async throws(StoreError) -> OneTimeTokenRecord? { throw .unavailable("down") }
    func deleteAll(subject: String, purpose: OneTimeTokenPurpose) async throws(StoreError) -> Int { throw .unavailable("down") }
    func deleteExpired(asOf now: Date, limit: Int) async throws(StoreError) -> Int { throw .unavailable("down") }
}
