import Foundation
import Synchronization
import Testing
@testable import Tessera

/// `PasswordPolicy`: the rules for a new password (ASVS 6.2.x).
@Suite("Credentials: PasswordPolicy")
struct PasswordPolicyTests {
    /// A fake k-anonymity service that knows a fixed set and counts questions.
    final class FakeBreachChecker: BreachedPasswordChecker {
        private let breached: Set<String>
        private let asked = Mutex(0)
        init(_ breached: Set<String>) { self.breached = breached }
        var questions: Int { asked.withLock { $0 } }
        func isBreached(_ password: String) async -> Bool {
            asked.withLock { $0 += 1 }
            return breached.contains(password)
        }
    }

    private static func violation(_ policy: PasswordPolicy, _ password: String, username: String? = nil,
                                  contextWords: [String] = []) async -> PasswordPolicyViolation? {
        do {
            try await policy.validate(password, username: username, contextWords: contextWords)
            return nil
        } catch {
            return error
        }
    }

    @Test func test_ASVS_6_2_1_minimumLengthCountsUnicodeScalars() async {
        let policy = PasswordPolicy()
        #expect(PasswordPolicy.defaultMinimumLength == 8)
        #expect(await Self.violation(policy, "seven77") == .tooShort(minimumLength: 8))
        #expect(await Self.violation(policy, "eight888") == nil)
        #expect(await Self.violation(policy, "") == .tooShort(minimumLength: 8))
        // Scalars, not bytes: 7 three-byte characters are 21 bytes but too short …
        #expect(await Self.violation(policy, String(repeating: "€", count: 7)) == .tooShort(minimumLength: 8))
        #expect(await Self.violation(policy, String(repeating: "€", count: 8)) == nil)
        #expect(await Self.violation(policy, String(repeating: "🔐", count: 8)) == nil)
        // … and counted in NFC, the form that is hashed: "pässwör" is 7 either way.
        #expect(await Self.violation(policy, "pa\u{308}sswo\u{308}r") == .tooShort(minimumLength: 8))
        #expect(await Self.violation(policy, "pa\u{308}sswo\u{308}rd") == nil)
        // The minimum is configurable (15 is ASVS's recommendation).
        #expect(await Self.violation(PasswordPolicy(minimumLength: 15), "fourteen-chars") == .tooShort(minimumLength: 15))
        #expect(await Self.violation(PasswordPolicy(minimumLength: 15), "fifteen-chars15") == nil)
    }

    @Test func test_ASVS_6_2_4_bundledCommonPasswordListIsOnByDefault() async {
        #expect(CommonPasswordList.bundled.count >= 3000)
        let policy = PasswordPolicy()
        for common in ["password", "12345678", "PassWord", "qwertyuiop", "iloveyou", "sunshine", "football"] {
            #expect(await Self.violation(policy, common) == .commonPassword, "\(common)")
        }
        #expect(await Self.violation(policy, "password-not-common-at-all") == nil)
        // Every bundled entry is one the length rule alone would let through.
        #expect(CommonPasswordList.bundled.entries.allSatisfy { $0.unicodeScalars.count >= PasswordPolicy.defaultMinimumLength })
    }

    @Test func test_ASVS_6_2_4_listsCanBeExtendedReplacedOrTurnedOff() async {
        let extended = PasswordPolicy(commonPasswords: .bundled.adding(["Tessera-Launch-2026"]))
        #expect(await Self.violation(extended, "tessera-launch-2026") == .commonPassword)
        #expect(await Self.violation(extended, "password") == .commonPassword)
        let own = PasswordPolicy(commonPasswords: CommonPasswordList(["Qwertyuiop"]))
        #expect(await Self.violation(own, "QWERTYUIOP") == .commonPassword)  // the list is folded too
        #expect(await Self.violation(own, "password") == nil)
        #expect(await Self.violation(PasswordPolicy(commonPasswords: .empty), "password") == nil)
    }

    @Test func test_ASVS_6_2_5_noCompositionRules() async {
        let policy = PasswordPolicy()
        for password in ["correcthorsebatterystaple", "qqqqwwwweeee", "12345679031", "ALL CAPS AND SPACES", "ñandú-ñandú"] {
            #expect(await Self.violation(policy, password) == nil, "\(password)")
        }
        let labels = Mirror(reflecting: policy).children.compactMap(\.label).map { $0.lowercased() }
        for forbidden in ["digit", "upper", "lower", "symbol", "special", "require", "composition"] {
            #expect(!labels.contains { $0.contains(forbidden) }, "\(forbidden)")
        }
    }

    @Test func test_ASVS_6_2_9_longPasswordsAcceptedUpToTheBound() async {
        let policy = PasswordPolicy()
        #expect(await Self.violation(policy, String(repeating: "a", count: 64)) == nil)
        #expect(await Self.violation(policy, String(repeating: "b", count: 128)) == nil)
        #expect(await Self.violation(policy, String(repeating: "c", count: 4096)) == nil)
        #expect(await Self.violation(policy, String(repeating: "d", count: 4097)) == .tooLong(maximumBytes: 4096))
        #expect(await Self.violation(policy, String(repeating: "€", count: 1366)) == .tooLong(maximumBytes: 4096))
        #expect(await Self.violation(policy, String(repeating: "x", count: 1 << 20)) == .tooLong(maximumBytes: 4096))
        #expect(policy.maximumBytes == PasswordHasher.defaultMaximumPasswordBytes)
    }

    @Test func test_ASVS_6_2_10_noPasswordExpiry() {
        // There is no expiry or rotation setting anywhere in the password types.
        let subjects: [Any] = [PasswordPolicy(), PasswordHasher()]
        for subject in subjects {
            let labels = Mirror(reflecting: subject).children.compactMap(\.label).map { $0.lowercased() }
            for forbidden in ["expir", "maxage", "rotat", "lifetime", "validity", "change"] {
                #expect(!labels.contains { $0.contains(forbidden) }, "\(type(of: subject)).\(forbidden)")
            }
        }
    }

    @Test func test_ASVS_6_2_11_contextWordsAreBlocked() async {
        let policy = PasswordPolicy(contextWords: ["Tessera"])
        #expect(await Self.violation(policy, "alice-rocks-2024", username: "alice") == .containsContextWord)
        #expect(await Self.violation(policy, "I-am-ALICE-really", username: "Alice") == .containsContextWord)
        #expect(await Self.violation(policy, "my-tessera-login", username: "alice") == .containsContextWord)
        #expect(await Self.violation(policy, "TESSERA12345") == .containsContextWord)
        // E-mail usernames: the local part counts too.
        #expect(await Self.violation(policy, "bob.smith1990!", username: "bob.smith@example.com") == .containsContextWord)
        // Per-call words (the user's real name).
        #expect(await Self.violation(policy, "grace-hopper-42", username: "gh", contextWords: ["Hopper"]) == .containsContextWord)
        // Words under three scalars are ignored, and unrelated passwords pass.
        #expect(await Self.violation(policy, "algebra-lessons", username: "al") == nil)
        #expect(await Self.violation(policy, "correct horse battery", username: "alice") == nil)
    }

    @Test func test_ASVS_6_2_12_breachedPasswordIsRefused() async {
        let checker = FakeBreachChecker(["hunter2hunter2", "P@ssw0rd2024"])
        let policy = PasswordPolicy(breachedPasswordChecker: checker)
        #expect(await Self.violation(policy, "hunter2hunter2") == .breached)
        #expect(await Self.violation(policy, "P@ssw0rd2024") == .breached)
        #expect(await Self.violation(policy, "a-fresh-long-passphrase") == nil)
        #expect(checker.questions == 3)
        // Local rules first: a password they refuse is never sent to the checker.
        #expect(await Self.violation(policy, "short") == .tooShort(minimumLength: 8))
        #expect(checker.questions == 3)
    }

    @Test func test_ASVS_6_2_messagesDoNotEchoThePassword() async {
        let policy = PasswordPolicy(contextWords: ["Tessera"],
                                    breachedPasswordChecker: FakeBreachChecker(["breached-password"]))
        let attempts: [(String, String?)] = [
            ("short", nil), (String(repeating: "z", count: 5000), nil), ("letmein123", nil),
            ("carol-secret-1", "carol"), ("breached-password", nil),
        ]
        for (password, username) in attempts {
            guard let violation = await Self.violation(policy, password, username: username) else {
                Issue.record("expected a violation")
                continue
            }
            #expect(!violation.message.isEmpty)
            #expect(!violation.message.contains(String(password.prefix(20))))
            #expect(!"\(violation)".contains(String(password.prefix(20))))
            if let username { #expect(!violation.message.contains(username)) }
        }
    }
}
