public import Foundation
import Synchronization
public import Tessera

/// The session of one request, shared by the middleware that loaded it and
/// the handlers that read and change it.
///
/// Handlers receive the request context by value, so the session lives in
/// this reference, and ``TesseraSessionMiddleware`` saves whatever the
/// handler changed once the response is ready. Calls are safe from any
/// task, but one request should not change its session from several tasks
/// at once: the last ``logIn(userID:method:)`` to finish wins.
///
/// ```swift
/// let session = try context.requireSession()
/// try session.set(.cart, ["sku-1"])
/// try await session.logIn(userID: user.id, method: "password")
/// session.logOut()
/// ```
public final class RequestSession: Sendable {
    /// The manager that loaded the session and will save it.
    public let manager: SessionManager
    private let state: Mutex<State>
    /// The client facts a write records, worked out only for a write.
    private let client: @Sendable () -> SessionClient

    private struct State {
        var session: Session
        var events: [AuditEvent] = []
        /// Cookies a ``commit()`` made, still to go on the response.
        var committedCookies: [SetCookie] = []
    }

    @usableFromInline
    init(manager: SessionManager, session: Session, client: @escaping @Sendable () -> SessionClient = { SessionClient() }) {
        self.manager = manager
        self.state = Mutex(State(session: session))
        self.client = client
    }

    /// A copy of the session as it stands.
    public var snapshot: Session { state.withLock { $0.session } }

    /// The signed-in user's ID, or `nil`.
    public var userID: String? { state.withLock { $0.session.userID } }
    /// Whether a user is signed in.
    public var isAuthenticated: Bool { state.withLock { $0.session.isAuthenticated } }
    /// When the user signed in or last stepped up.
    public var authenticatedAt: Date? { state.withLock { $0.session.authenticatedAt } }
    /// How the request found its session (a dead or forged cookie shows here).
    public var origin: Session.Origin { state.withLock { $0.session.origin } }

    /// The value under `key`, or `nil`.
    public func get<Value>(_ key: SessionKey<Value>) throws(SessionError) -> Value? {
        try snapshot.get(key)
    }

    /// Stores `value` under `key`; saved with the response.
    public func set<Value>(_ key: SessionKey<Value>, _ value: Value) throws(SessionError) {
        try withSession { (session: inout Session) throws(SessionError) in try session.set(key, value) }
    }

    /// Removes the value under `key`.
    public func remove<Value>(_ key: SessionKey<Value>) {
        withSession { $0.remove(key) }
    }

    /// Signs `userID` in; the session ID rotates when the response is saved
    /// (no fixation) and a CSRF secret the session held is replaced.
    public func logIn(userID: String, method: String) async throws(SessionError) {
        var session = snapshot
        let previous = session.userID
        try await manager.logIn(&session, userID: userID, method: method)
        state.withLock {
            $0.session = session
            if let previous, previous != userID { $0.events.append(.loggedOut(userID: previous)) }
            $0.events.append(.sessionRotated(userID: userID))
        }
    }

    /// Records a fresh proof of identity (the password asked again) and
    /// rotates the ID.
    public func reauthenticate(method: String) throws(SessionError) {
        try withSession { (session: inout Session) throws(SessionError) in
            try manager.reauthenticate(&session, method: method)
        }
        state.withLock { $0.events.append(.sessionRotated(userID: $0.session.userID)) }
    }

    /// Rotates the ID without other changes: call it on privilege changes.
    public func rotate() {
        withSession { manager.rotate(&$0) }
        state.withLock { $0.events.append(.sessionRotated(userID: $0.session.userID)) }
    }

    /// Ends the session: the record is deleted and the cookie cleared when
    /// the response is saved.
    public func logOut() {
        state.withLock {
            if let user = $0.session.userID { $0.events.append(.loggedOut(userID: user)) }
            manager.logOut(&$0.session)
        }
    }

    /// A masked CSRF token for a form or the `X-CSRF-Token` header; a new
    /// mask each call, the same session secret underneath.
    public func csrfToken() throws(SessionError) -> String {
        try withSession { (session: inout Session) throws(SessionError) in try CSRFTokens.token(for: &session) }
    }

    /// Passes if the user proved who they are within `maximumAge` seconds.
    public func requireRecentAuthentication(within maximumAge: TimeInterval) throws(SessionError) {
        try manager.requireRecentAuthentication(snapshot, within: maximumAge)
    }

    /// Runs `body` on the session under the lock, for changes this type
    /// has no method for.
    public func withSession<Result, Failure: Error>(_ body: (inout Session) throws(Failure) -> Result) throws(Failure) -> Result {
        try state.withLock { (state: inout State) throws(Failure) -> Result in try body(&state.session) }
    }

    /// Saves the session now instead of after the route, for a handler
    /// that must know the new cookie, say to return a sign-in's session
    /// cookie in a JSON body as well. The middleware still puts the
    /// cookies on the response, and saves again only if the route changes
    /// the session afterwards.
    /// - Returns: the session cookie set by this save, if any.
    /// - Throws: ``SessionError`` when the store fails: answer 503.
    public func commit() async throws(SessionError) -> SetCookie? {
        let cookies = try await write()
        state.withLock { $0.committedCookies += cookies }
        return cookies.last { $0.name == manager.configuration.cookie.name && !$0.value.isEmpty }
    }

    /// Saves what changed; returns the cookies to set (a ``commit()``'s
    /// included) and the audit events the changes make, which are reported
    /// only once the save held.
    @usableFromInline
    func save() async throws(SessionError) -> (cookies: [SetCookie], events: [AuditEvent]) {
        let cookies = try await write()
        return state.withLock { state in
            defer { state.events = []; state.committedCookies = [] }
            return (state.committedCookies + cookies, state.events)
        }
    }

    /// Writes the session if a save is due; the client facts are worked out
    /// only then.
    private func write() async throws(SessionError) -> [SetCookie] {
        guard var session = state.withLock({ manager.saveIsDue($0.session) ? $0.session : nil }) else { return [] }
        session.client = client()
        let cookies = try await manager.save(&session)
        state.withLock { $0.session = session }
        return cookies
    }
}
