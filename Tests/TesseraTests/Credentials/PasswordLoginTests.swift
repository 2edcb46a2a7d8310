import Foundation
import Logging
import Synchronization
import Testing
@testable import Tessera

/// The password login flow: equal work for known and unknown users,
/// re-hashing on login, throttling and audit events.
@Suite struct PasswordLoginTests {
    let kdf = CountingPasswordKDF()
    let clock = ManualWallClock()
    let directory = MemoryCredentialDirectory()
    let logs = CapturedLogs()

    func login(throttled: Bool = true) -> PasswordLogin {
        PasswordLogin(
            hasher: PasswordTestSupport.hasher(kdf: kdf), directory: directory,
            throttle: throttled ? LoginThrottle(store: MemoryLoginThrottleStore(), clock: clock) : nil,
            audit: AuditLog(logger: logs.logger))
    }

    func addAlice(password: String = "correct horse battery") async throws {
        let hash = try await PasswordTestSupport.hasher().hash(password)
        directory.add(login: "alice", PasswordCredential(userID: "u-alice", passwordHash: hash))
    }

    @Test func test_ASVS_6_3_8_unknownUserAndWrongPasswordLookAndCostTheSame() async throws {
        try await addAlice()
        let login = login()
        kdf.reset()
        let wrong = await login.attempt(login: "alice", password: "wrong password!", address: "a")
        #expect(kdf.count == 1, "one derivation for a known user")
        kdf.reset()
        let unknown = await login.attempt(login: "mallory", password: "wrong password!", address: "a")
        #expect(kdf.count == 1, "and exactly one for an unknown user (F-04)")
        #expect(wrong == .failed && unknown == .failed)
        #expect(kdf.kinds.allSatisfy { $0 == .scrypt(PasswordTestSupport.tiny) })
    }

    @Test func test_ASVS_16_3_1_eachAttemptEmitsOneEventWithoutSecrets() async throws {
        try await addAlice()
        let login = login()
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "203.0.113.9") == .succeeded(userID: "u-alice"))
        #expect(await login.attempt(login: "alice", password: "Tr0ub4dor&3 wrong", address: "203.0.113.9") == .failed)
        #expect(await login.attempt(login: "nobody", password: "hunter2 hunter2", address: "203.0.113.9") == .failed)
        let events = logs.lines.map { $0.metadata["event"] ?? "" }
        #expect(events == ["login.succeeded", "login.failed", "login.failed"])
        let text = logs.lines.map(\.rendered).joined(separator: "\n")
        for secret in ["correct horse battery", "Tr0ub4dor&3", "hunter2", "nobody", "$scrypt$"] {
            #expect(!text.contains(secret), "log lines contain \(secret)")
        }
        #expect(logs.lines[0].metadata["user"] == "u-alice" && logs.lines[0].metadata["client"] == "203.0.113.9")
    }

    @Test func test_CS_P6_oldHashesAreReplacedOnlyOnASuccessfulLogin() async throws {
        let old = try await PasswordTestSupport.hasher(parameters: PasswordTestSupport.tinyNext).hash("correct horse battery")
        directory.add(login: "alice", PasswordCredential(userID: "u-alice", passwordHash: old))
        let login = login()
        #expect(await login.attempt(login: "alice", password: "not the password", address: "a") == .failed)
        #expect(directory.hash(of: "u-alice") == old, "a wrong password upgrades nothing")
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "a") == .succeeded(userID: "u-alice"))
        let upgraded = try #require(directory.hash(of: "u-alice"))
        #expect(upgraded != old && upgraded.hasPrefix("$scrypt$ln=10,r=1,p=1$"))
        #expect(logs.lines.contains { $0.metadata["event"] == "password.rehashed" })
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "a") == .succeeded(userID: "u-alice"))
    }

    @Test func djangoUsersKeepTheirPasswordsAndMoveToScrypt() async throws {
        // Django 5.2: make_password("correct horse battery", salt="tessera", hasher="pbkdf2_sha256") with 1000 iterations.
        let django = "pbkdf2_sha256$1000$tessera$" + Base64.standardEncode(
            StandardPasswordKDF().pbkdf2SHA256Bytes("correct horse battery", salt: "tessera", iterations: 1000))
        directory.add(login: "alice", PasswordCredential(userID: "u-alice", passwordHash: django))
        #expect(await login().attempt(login: "alice", password: "correct horse battery", address: "a") == .succeeded(userID: "u-alice"))
        #expect(directory.hash(of: "u-alice")?.hasPrefix("$scrypt$") == true)
    }

    @Test func test_ASVS_6_3_1_throttledLoginsCheckNoPassword() async throws {
        try await addAlice()
        let login = login()
        for _ in 0..<5 { #expect(await login.attempt(login: "alice", password: "wrong password!", address: "x") == .failed) }
        #expect(await login.attempt(login: "alice", password: "wrong password!", address: "x") == .failed)
        kdf.reset()
        let throttled = await login.attempt(login: "alice", password: "correct horse battery", address: "x")
        #expect(throttled == .throttled(retryAfter: 1))
        #expect(kdf.count == 0, "no password is checked while a delay runs")
        clock.advance(by: 1)
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "x") == .succeeded(userID: "u-alice"))
    }

    @Test func overlongPasswordsGetAClearErrorAndNoHashing() async throws {
        try await addAlice()
        kdf.reset()
        let outcome = await login().attempt(login: "alice", password: String(repeating: "a", count: 4097), address: "a")
        #expect(outcome == .rejected(.tooLong(maximumBytes: 4096)))
        #expect(kdf.count == 0)
    }

    @Test func aDirectoryThatIsDownFailsClosed() async throws {
        let login = PasswordLogin(hasher: PasswordTestSupport.hasher(kdf: kdf), directory: FailingCredentialDirectory())
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "a") == .unavailable)
    }
}

/// Login names to credentials, in memory.
final class MemoryCredentialDirectory: CredentialDirectory {
    private let entries = Mutex<[String: PasswordCredential]>([:])

    func add(login: String, _ credential: PasswordCredential) { entries.withLock { $0[login] = credential } }

    func hash(of userID: String) -> String? {
        entries.withLock { $0.values.first { $0.userID == userID }?.passwordHash }
    }

    func passwordCredential(forLogin login: String) async throws(StoreError) -> PasswordCredential? {
        entries.withLock { $0[login] }
    }

    func replacePasswordHash(ofUser userID: String, with hash: String) async throws(StoreError) {
        entries.withLock { entries in
            for (login, credential) in entries where credential.userID == userID { entries[login]?.passwordHash = hash }
        }
    }
}

struct FailingCredentialDirectory: CredentialDirectory {
    func passwordCredential(forLogin login: String) async throws(StoreError) -> PasswordCredential? { throw .unavailable("down") }
    func replacePasswordHash(ofUser userID: String, with hash: String) async throws(StoreError) { throw .unavailable("down") }
}

extension StandardPasswordKDF {
    func pbkdf2SHA256Bytes(_ password: String, salt: String, iterations: Int) -> [UInt8] {
        (try? pbkdf2SHA256(password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations, outputByteCount: 32)) ?? []
    }
}

/// A swift-log handler that keeps every line, for asserting on audit output.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
        var rendered: String { "\(level) \(message) " + metadata.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ") }
    }

    private let storage = Mutex<[Line]>([])
    var lines: [Line] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test.audit") { _ in Handler(logs: self) }
    }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
            logs.storage.withLock { $0.append(Line(level: event.level, message: "\(event.message)", metadata: flat)) }
        }
    }
}

/// Changing a password needs the current one (ASVS 6.2.2, 6.2.3).
@Suite struct PasswordChangeTests {
    let directory = MemoryCredentialDirectory()

    @Test func test_ASVS_6_2_2_and_6_2_3_changeNeedsTheCurrentPassword() async throws {
        let hasher = PasswordTestSupport.hasher()
        let original = try await hasher.hash("correct horse battery")
        directory.add(login: "alice", PasswordCredential(userID: "u-alice", passwordHash: original))
        let login = PasswordLogin(hasher: hasher, directory: directory)
        let policy = PasswordPolicy()
        #expect(await login.changePassword(login: "alice", current: "not it at all", new: "a brand new secret", policy: policy, address: "a")
                == .currentPasswordWrong)
        #expect(directory.hash(of: "u-alice") == original, "a wrong current password changes nothing")
        #expect(await login.changePassword(login: "alice", current: "correct horse battery", new: "short", policy: policy, address: "a")
                == .rejected(.tooShort(minimumLength: 8)))
        #expect(directory.hash(of: "u-alice") == original)
        #expect(await login.changePassword(login: "alice", current: "correct horse battery", new: "a brand new secret", policy: policy, address: "a")
                == .changed)
        #expect(await login.attempt(login: "alice", password: "a brand new secret", address: "a") == .succeeded(userID: "u-alice"))
        #expect(await login.attempt(login: "alice", password: "correct horse battery", address: "a") == .failed)
    }
}
