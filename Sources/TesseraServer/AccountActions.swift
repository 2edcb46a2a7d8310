import Foundation
import Hummingbird
import Tessera
import TesseraHummingbird

/// What a signed-in user can do to their own account, shared by the JSON
/// API and the account page; failures are ``ProblemDetails``.
struct AccountActions: Sendable {
    let services: ServerServices

    /// The most API keys one user may hold at once.
    static let maximumKeysPerUser = 50
    /// The longest API key lifetime, in days.
    static let maximumKeyLifetimeDays = 3650

    func sessions(of user: UserRecord, context: ServerRequestContext) async throws -> [SessionSummary] {
        do {
            return try await services.sessions.sessions(ofUser: user.id, current: context.tessera.session?.snapshot)
        } catch {
            throw ProblemDetails.serviceUnavailable
        }
    }

    /// Ends every session of `user` but the request's; returns how many.
    func revokeOtherSessions(of user: UserRecord, context: ServerRequestContext) async throws -> Int {
        let others = try await sessions(of: user, context: context).filter { !$0.isCurrent }.count
        if let session = context.tessera.session, session.isAuthenticated, session.userID == user.id {
            var snapshot = session.snapshot
            do { try await services.sessions.revokeOthers(of: &snapshot) } catch { throw ProblemDetails.serviceUnavailable }
            session.withSession { $0 = snapshot }
        } else {
            // A bearer token or API key: there is no current session to keep.
            do { try await services.sessions.revokeAll(ofUser: user.id) } catch { throw ProblemDetails.serviceUnavailable }
        }
        services.audit.record(.sessionsRevoked(userID: user.id, count: others), client: context.tessera.clientAddress)
        return others
    }

    func revokeSession(_ handleText: String, of user: UserRecord) async throws -> Bool {
        guard let handle = SessionHandle(handleText) else { return false }
        do { return try await services.sessions.revoke(handle, ofUser: user.id) } catch { throw ProblemDetails.serviceUnavailable }
    }

    func createKey(for user: UserRecord, name: String, scopes: [String], expiresInDays: Int?, context: ServerRequestContext) async throws -> APIKeys.Created {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count), !name.contains(where: \.isNewline) else {
            throw ProblemDetails(status: .badRequest, code: "api_key.bad_name", detail: "Name the key with 1 to 100 characters on one line.")
        }
        guard scopes.count <= 32, scopes.allSatisfy(Self.isScope) else {
            throw ProblemDetails(status: .badRequest, code: "api_key.bad_scopes",
                                 detail: "Scopes are up to 32 words of letters, digits and : . _ - (e.g. reports:read).")
        }
        if let days = expiresInDays, !(1...Self.maximumKeyLifetimeDays).contains(days) {
            throw ProblemDetails(status: .badRequest, code: "api_key.bad_lifetime",
                                 detail: "expiresInDays must be between 1 and \(Self.maximumKeyLifetimeDays).")
        }
        if try await activeKeys(of: user).count >= Self.maximumKeysPerUser {
            throw ProblemDetails(status: .conflict, code: "api_key.too_many",
                                 detail: "You have \(Self.maximumKeysPerUser) active keys; revoke one first.")
        }
        do {
            return try await services.apiKeys.create(owner: user.id, name: name, scopes: scopes,
                                                     lifetime: expiresInDays.map { TimeInterval($0) * 86_400 })
        } catch {
            throw ProblemDetails.serviceUnavailable
        }
    }

    /// Keys that still work: neither revoked nor expired.
    func activeKeys(of user: UserRecord) async throws -> [APIKeyRecord] {
        let now = Date()
        do {
            return try await services.apiKeys.keys(ofOwner: user.id).filter { $0.revokedAt == nil && ($0.expiresAt ?? .distantFuture) > now }
        } catch {
            throw ProblemDetails.serviceUnavailable
        }
    }

    func revokeKey(_ id: String, of user: UserRecord) async throws -> Bool {
        do { return try await services.apiKeys.revoke(id: id, ofOwner: user.id) } catch { throw ProblemDetails.serviceUnavailable }
    }

    /// Changes the password; with `logoutOthers`, every other session and
    /// every refresh token of the user dies too, and this session rotates.
    func changePassword(of user: UserRecord, current: String, new: String, logoutOthers: Bool, context: ServerRequestContext) async throws {
        let outcome = await services.login.changePassword(
            login: user.username.value, current: current, new: new, policy: services.passwordPolicy,
            address: context.clientAddressForThrottling)
        switch outcome {
        case .changed:
            break
        case .currentPasswordWrong:
            throw ProblemDetails(status: .forbidden, code: "password.current_wrong", detail: "The current password is wrong.")
        case .rejected(let violation):
            throw ProblemDetails(status: .badRequest, code: "password.rejected", detail: violation.message)
        case .throttled(let seconds):
            throw ProblemDetails(status: .tooManyRequests, code: "login.throttled",
                                 detail: "Too many wrong passwords; try again in \(seconds) seconds.", headers: [.retryAfter: String(seconds)])
        case .unavailable:
            throw ProblemDetails.serviceUnavailable
        }
        services.audit.record(.passwordChanged(userID: user.id), client: context.tessera.clientAddress)
        do {
            if let session = context.tessera.session, session.isAuthenticated, session.userID == user.id {
                var snapshot = session.snapshot
                try await services.sessions.passwordChanged(&snapshot, terminateOthers: logoutOthers)
                session.withSession { $0 = snapshot }
            } else if logoutOthers {
                try await services.sessions.revokeAll(ofUser: user.id)
            }
            if logoutOthers {
                _ = try await services.refreshTokens.revokeAll(ofUser: user.id)
                try await services.accessTokens.revokeAll(ofSubject: user.id)
            }
        } catch {
            throw ProblemDetails.serviceUnavailable
        }
    }

    static func isScope(_ scope: String) -> Bool {
        (1...64).contains(scope.utf8.count) && scope.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || ":._-".utf8.contains(byte)
        }
    }
}
