import Foundation

/// What the manager needs from where sessions live: a server-side store
/// (``ServerSessionBackend``) or the cookie itself (``SealedCookieSessionBackend``).
protocol SessionBackend: Sendable {
    /// The live session the cookies name, or a fresh one saying why not.
    func resume(_ cookies: RequestCookies, client: SessionClient, now: Date) async throws(SessionError) -> Session
    /// Writes what changed and returns the `Set-Cookie` headers to send.
    /// Called only when `session.saveIsDue(...)` holds.
    func save(_ session: inout Session, now: Date) async throws(SessionError) -> [SetCookie]
    /// The user's sessions, oldest first.
    func records(ofUser userID: String) async throws(SessionError) -> [SessionRecord]
    /// Ends one session of the user; `false` if the user has no such session.
    func revoke(_ handle: SessionHandle, ofUser userID: String) async throws(SessionError) -> Bool
    /// Ends every session of the user but `kept`.
    func revokeAll(ofUser userID: String, except kept: Session?, now: Date) async throws(SessionError)
    /// Ends every session of every user.
    func revokeEveryone(now: Date) async throws(SessionError)
}

extension SessionError {
    /// Wraps a store failure; every store call goes through here.
    static func store(_ error: StoreError) -> SessionError {
        switch error {
        case .corruptRecord(let reason): .corruptSession(reason)
        default: .storeUnavailable(error)
        }
    }
}
