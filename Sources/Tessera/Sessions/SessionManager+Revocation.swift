import Foundation

/// A session as its user sees it on a "where you're signed in" page: no ID,
/// only the public handle.
public struct SessionSummary: Sendable, Equatable {
    /// Names the session for ``SessionManager/revoke(_:ofUser:)``.
    public let handle: SessionHandle
    /// When the session was created.
    public let createdAt: Date
    /// The last request the server recorded.
    public let lastSeenAt: Date
    /// When the user last proved who they are.
    public let authenticatedAt: Date?
    /// How they proved it.
    public let authenticationMethod: String?
    /// The client's address at the last recorded request.
    public let clientAddress: String?
    /// The client's `User-Agent` at the last recorded request.
    public let userAgent: String?
    /// Whether this is the session of the request that asked.
    public let isCurrent: Bool
}

extension SessionManager {
    /// The user's live sessions, oldest first, marking the one of `current`.
    public func sessions(ofUser userID: String, current: Session? = nil) async throws(SessionError) -> [SessionSummary] {
        let now = clock.now()
        return try await backend.records(ofUser: userID)
            .filter { configuration.expiry(createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt, now: now) == nil }
            .map {
                SessionSummary(
                    handle: $0.handle, createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt,
                    authenticatedAt: $0.authenticatedAt, authenticationMethod: $0.authenticationMethod,
                    clientAddress: $0.clientAddress, userAgent: $0.userAgent,
                    isCurrent: current?.handle == $0.handle
                )
            }
    }

    /// Ends the session named `handle` if it belongs to `userID`; returns
    /// `false` when the user has no such session, which is also the answer
    /// for another user's handle (answer 404, not 403, to reveal nothing).
    public func revoke(_ handle: SessionHandle, ofUser userID: String) async throws(SessionError) -> Bool {
        try await backend.revoke(handle, ofUser: userID)
    }

    /// Ends every session of `userID`: an administrator's "sign out", an
    /// account disabled or deleted (ASVS 7.4.2, 7.4.5).
    public func revokeAll(ofUser userID: String) async throws(SessionError) {
        try await backend.revokeAll(ofUser: userID, except: nil, now: clock.now())
    }

    /// Ends every session of the session's user except this one, which is
    /// rotated on save.
    public func revokeOthers(of session: inout Session) async throws(SessionError) {
        guard let userID = session.userID, session.isAuthenticated else { throw .notAuthenticated }
        try await backend.revokeAll(ofUser: userID, except: session, now: clock.now())
        session.rotationRequested = true
    }

    /// Ends every session of every user.
    public func revokeEveryone() async throws(SessionError) {
        try await backend.revokeEveryone(now: clock.now())
    }

    /// Call after the user changed their password (or recovery factor): the
    /// current session is rotated on save and, with `terminateOthers` (the
    /// default), every other session ends (ASVS 7.4.3).
    public func passwordChanged(_ session: inout Session, terminateOthers: Bool = true) async throws(SessionError) {
        guard let userID = session.userID, session.isAuthenticated else { throw .notAuthenticated }
        if terminateOthers { try await backend.revokeAll(ofUser: userID, except: session, now: clock.now()) }
        session.pendingIdentity = Session.PendingIdentity(userID: userID, method: session.authenticationMethod, authenticatedAt: clock.now())
        session.rotationRequested = true
    }
}
