import Crypto
import Foundation
public import Logging
public import Tessera

/// The core objects of one server, wired to its stores and keys: what the
/// routes, the pages and the admin commands all work with.
public struct ServerServices: Sendable {
    /// The settings.
    public let configuration: ServerConfiguration
    /// The stores.
    public let storage: ServerStorage
    /// Sessions, in the session store, under the configured cookie.
    public let sessions: SessionManager
    /// Password hashing.
    public let hasher: PasswordHasher
    /// Password logins, throttled.
    public let login: PasswordLogin
    /// What a new password must pass.
    public let passwordPolicy: PasswordPolicy
    /// API keys.
    public let apiKeys: APIKeys
    /// Access tokens (ES256 JWTs) and their revocation.
    public let accessTokens: AccessTokens
    /// Refresh tokens.
    public let refreshTokens: RefreshTokens
    /// CSRF checks.
    public let csrf: CSRFProtection
    /// Security events.
    public let audit: AuditLog

    /// The audience of the access tokens this server issues.
    public static let tokenAudience = "tessera"

    /// Wires everything for `configuration` over `storage` and `keys`.
    public init(configuration: ServerConfiguration, storage: ServerStorage, keys: ServerKeys, logger: Logger) async throws {
        self.configuration = configuration
        self.storage = storage
        audit = AuditLog(logger: logger)
        sessions = SessionManager(store: storage.sessions, configuration: SessionConfiguration(cookie: Self.cookie(for: configuration)))
        hasher = PasswordHasher(
            parameters: try ScryptParameters(logN: configuration.scryptLogN, blockSize: 8, parallelism: 1),
            threadPool: PasswordHashingPool.shared)
        login = PasswordLogin(hasher: hasher, directory: UserDirectory(store: storage.users),
                              throttle: LoginThrottle(store: storage.loginThrottle), audit: audit)
        passwordPolicy = PasswordPolicy()
        apiKeys = APIKeys(store: storage.apiKeys, audit: audit)
        let epochs = RevocationEpochs(store: storage.revocationEpochs)
        let signingKey = try await JWTVerificationKey.privateKey(
            pem: keys.signingKeyPEM, algorithm: .es256, id: keys.signingKeyID, issuer: Self.issuer(for: configuration))
        accessTokens = try AccessTokens(
            configuration: .init(issuer: Self.issuer(for: configuration), audiences: [Self.tokenAudience]),
            keys: JWTKeySet([signingKey]), denyList: storage.tokenDenyList, epochs: epochs)
        let refreshKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: keys.ring.entries[0].secret.symmetricKey, info: Data("tessera.server.refresh-token".utf8), outputByteCount: 32)
        refreshTokens = RefreshTokens(
            configuration: .init(reuseGrace: TimeInterval(configuration.refreshGraceSeconds)),
            store: storage.refreshTokens, key: try SecretKey(refreshKey), audit: audit)
        csrf = CSRFProtection(configuration: try CSRFConfiguration(
            trustedOrigins: configuration.corsOrigins,
            // JSON-only sign-in endpoints: a cross-site form can't send
            // `application/json` without a CORS preflight, which only the
            // configured origins pass (CS-C5), and there is no session yet.
            bypassPatterns: ["POST /api/session", "POST /api/tokens", "POST /api/tokens/refresh"]))
    }

    /// The `iss` of the tokens: the public URL without a trailing slash.
    static func issuer(for configuration: ServerConfiguration) -> String {
        var text = configuration.resolvedPublicURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The session cookie: prefixed and `Secure` on https, shared with
    /// subdomains when a cookie domain is set.
    static func cookie(for configuration: ServerConfiguration) -> SessionConfiguration.Cookie {
        let name: String = switch (configuration.isSecure, configuration.cookieDomain) {
        case (false, _): "tessera_session"
        case (true, nil): "__Host-tessera_session"
        case (true, .some): "__Secure-tessera_session"
        }
        return SessionConfiguration.Cookie(name: name, domain: configuration.cookieDomain, secure: configuration.isSecure)
    }

    /// The account named `name`, or `nil`.
    public func user(named name: String) async throws(StoreError) -> UserRecord? {
        guard let username = Username(name) else { return nil }
        return try await storage.users.user(named: username)
    }

    /// Creates an account after checking `password` against the policy.
    /// - Throws: ``AccountError``.
    public func createUser(named name: String, password: String) async throws(AccountError) -> UserRecord {
        let record = try await newUserRecord(named: name, password: password)
        do { try await storage.users.insert(record) } catch .duplicateKey { throw .usernameTaken } catch { throw .unavailable(error) }
        audit.record(.userCreated(userID: record.id))
        return record
    }

    /// Creates the first account, `admin`, with a random password, if
    /// the store has none; returns the password to show once, or `nil`.
    public func createFirstAdministrator() async throws -> String? {
        let password = Self.randomPassword()
        let record = try await newUserRecord(named: "admin", password: password)
        guard try await storage.users.insertFirst(record) else { return nil }
        audit.record(.userCreated(userID: record.id))
        return password
    }

    /// Sets a new password (policy-checked) for the account `user`.
    public func setPassword(of user: UserRecord, to password: String) async throws(AccountError) {
        let hash = try await acceptableHash(of: password, for: user.username)
        do { _ = try await storage.users.setPasswordHash(ofUser: user.id, to: hash) } catch { throw .unavailable(error) }
    }

    /// Disables `user` and ends everything they hold at once: sessions,
    /// API keys, refresh tokens, and access tokens (their epoch moves).
    public func disable(_ user: UserRecord) async throws {
        _ = try await storage.users.setDisabled(ofUser: user.id, true)
        try await revokeEverything(of: user.id)
        audit.record(.userDisabled(userID: user.id))
    }

    /// Ends every session, API key and token of `userID`.
    public func revokeEverything(of userID: String) async throws {
        try await sessions.revokeAll(ofUser: userID)
        _ = try await apiKeys.revokeAll(ofOwner: userID)
        _ = try await refreshTokens.revokeAll(ofUser: userID)
        try await accessTokens.revokeAll(ofSubject: userID)
    }

    private func newUserRecord(named name: String, password: String) async throws(AccountError) -> UserRecord {
        guard let username = Username(name) else { throw .invalidUsername }
        return UserRecord(id: UserRecord.newID(), username: username,
                          passwordHash: try await acceptableHash(of: password, for: username), createdAt: Date())
    }

    /// The hash of `password` once it passes the policy for `username`.
    private func acceptableHash(of password: String, for username: Username) async throws(AccountError) -> String {
        do { try await passwordPolicy.validate(password, username: username.value) } catch { throw .weakPassword(error) }
        do { return try await hasher.hash(password) } catch { throw .hashing(error) }
    }

    /// 20 random characters from an alphabet without look-alikes (~114 bits).
    public static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

/// Why an account could not be created or changed.
public enum AccountError: Error, Sendable, CustomStringConvertible {
    /// The login name is not 1-64 of `a-z 0-9 . _ @ + -`.
    case invalidUsername
    /// Another account has this login name.
    case usernameTaken
    /// The password breaks the policy.
    case weakPassword(PasswordPolicyViolation)
    /// The password could not be hashed (too long, or the thread pool failed).
    case hashing(PasswordError)
    /// The store did not answer.
    case unavailable(StoreError)

    public var description: String {
        switch self {
        case .invalidUsername: "a user name is 1 to \(Username.maximumLength) of the characters a-z 0-9 . _ @ + -"
        case .usernameTaken: "that user name is taken"
        case .weakPassword(let violation): violation.message
        case .hashing(let error): "the password could not be hashed: \(error)"
        case .unavailable(let error): "the store is unavailable: \(error)"
        }
    }
}
