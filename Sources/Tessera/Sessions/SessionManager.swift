import Foundation

/// Loads, changes and saves sessions under one ``SessionConfiguration``.
///
/// ```swift
/// let sessions = SessionManager(store: MemorySessionStore())
///
/// // Per request:
/// var session = try await sessions.load(from: RequestCookies(headers: cookieHeaders))
/// try session.set(.cart, ["sku-1"])
/// if passwordIsRight { try await sessions.logIn(&session, userID: "u42", method: "password") }
/// let setCookies = try await sessions.save(&session)     // add each as a Set-Cookie header
/// ```
///
/// Guarantees:
/// - A presented ID the store doesn't know is never adopted: the request
///   gets a fresh session with a new random ID (no fixation).
/// - Idle and absolute timeouts are computed from stored times only.
/// - Signing in, stepping up and privilege changes rotate the ID in the
///   same write that saves the session; the old ID is dead at once.
/// - Saves are compare-and-set. When two requests race, the loser re-reads
///   the session and re-applies only the keys it set or removed, so parallel
///   requests that touch different keys never lose each other's writes. Two
///   requests that set the *same* key: the one that saves last wins.
/// - A store failure is thrown as ``SessionError/storeUnavailable(_:)``,
///   never turned into "signed out".
public struct SessionManager: Sendable {
    /// The policy in force.
    public let configuration: SessionConfiguration
    /// The clock every timeout is read from.
    public let clock: any WallClock
    let backend: any SessionBackend

    /// Whether sessions are sealed into the cookie (``init(sealingWith:revocation:configuration:maximumChunks:clock:random:)``)
    /// rather than kept in a store.
    public let sealsSessionsIntoCookies: Bool

    /// Sessions kept server-side in `store`; the cookie holds only a random ID.
    public init(
        store: any SessionStore,
        configuration: SessionConfiguration = SessionConfiguration(),
        clock: any WallClock = SystemWallClock(),
        random: RandomSource = .system
    ) {
        self.configuration = configuration
        self.clock = clock
        self.backend = ServerSessionBackend(store: store, configuration: configuration, random: random)
        self.sealsSessionsIntoCookies = false
    }

    /// Sessions sealed into the cookie itself (AES-256-GCM under `ring`),
    /// with no server state but `revocation`'s per-user epochs.
    ///
    /// Listing sessions, ending one session early and the per-user session
    /// limit need server state and are not available; signing out a user
    /// everywhere reaches every server within `revocation.maximumLag`.
    public init(
        sealingWith ring: KeyRing,
        revocation: RevocationEpochs,
        configuration: SessionConfiguration = SessionConfiguration(),
        maximumChunks: Int = 3,
        clock: any WallClock = SystemWallClock(),
        random: RandomSource = .system
    ) {
        self.configuration = configuration
        self.clock = clock
        self.backend = SealedCookieSessionBackend(
            codec: SealedValueCodec(ring: ring, purpose: KeyPurpose("tessera.session")),
            epochs: revocation,
            chunker: CookieChunker(maximumChunks: maximumChunks),
            configuration: configuration,
            random: random
        )
        self.sealsSessionsIntoCookies = true
    }

    /// The request's session: the live one its cookie names, or a fresh one.
    /// - Throws: ``SessionError/storeUnavailable(_:)`` when the store can't
    ///   answer (answer 503; don't treat the request as anonymous).
    public func load(from cookies: RequestCookies, client: SessionClient = SessionClient()) async throws(SessionError) -> Session {
        try await backend.resume(cookies, client: client, now: clock.now())
    }

    /// Writes what the request changed and returns the `Set-Cookie` values
    /// to send: none when nothing changed, the new ID after a rotation, a
    /// deletion after logout or when a dead cookie was presented.
    public func save(_ session: inout Session) async throws(SessionError) -> [SetCookie] {
        let now = clock.now()
        guard session.saveIsDue(now: now, activityWriteInterval: configuration.activityWriteInterval) else { return [] }
        return try await backend.save(&session, now: now)
    }

    /// Whether ``save(_:)`` would write or send anything for `session` now.
    /// When it is `false`, skipping the save changes nothing, and a
    /// framework saves itself the call (and formatting the client facts).
    public func saveIsDue(_ session: Session) -> Bool {
        session.saveIsDue(now: clock.now(), activityWriteInterval: configuration.activityWriteInterval)
    }

    /// Signs `userID` in: records how and when, and rotates the session ID
    /// on save (ASVS 7.2.4). A different user signing in on the same
    /// browser starts from empty session data.
    ///
    /// A CSRF secret the session holds is replaced, so tokens rendered
    /// before sign-in stop verifying (login CSRF, CS-C9).
    ///
    /// With ``SessionConfiguration/maximumSessionsPerUser`` set, this ends
    /// the user's oldest sessions to make room, or throws
    /// ``SessionError/tooManySessions(limit:)``, as the policy says.
    public func logIn(_ session: inout Session, userID: String, method: String) async throws(SessionError) {
        guard !userID.isEmpty, userID != RevocationEpochs.everyone else {
            throw .invalidArgument("a user ID must be non-empty and not \"\(RevocationEpochs.everyone)\"")
        }
        if let limit = configuration.maximumSessionsPerUser, backend is ServerSessionBackend {
            let now = clock.now()
            // Expired records the sweeper hasn't reached yet don't count.
            let others = try await backend.records(ofUser: userID).filter {
                $0.key != session.record?.key
                    && configuration.expiry(createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt, now: now) == nil
            }
            let excess = others.count - (limit - 1)
            if excess > 0 {
                switch configuration.sessionLimitPolicy {
                case .refuseNew:
                    throw .tooManySessions(limit: limit)
                case .evictOldest:
                    for victim in others.prefix(excess) {
                        _ = try await backend.revoke(victim.handle, ofUser: userID)
                    }
                }
            }
        }
        session.pendingIdentity = Session.PendingIdentity(userID: userID, method: method, authenticatedAt: clock.now())
        session.rotationRequested = true
        session.ended = false
        // Tokens rendered for the anonymous session stop working (CS-C9).
        if CSRFTokens.secret(in: session) != nil { try CSRFTokens.rotate(in: &session) }
    }

    /// Records a fresh proof of identity (a step-up: the password asked
    /// again) and rotates the ID on save.
    public func reauthenticate(_ session: inout Session, method: String) throws(SessionError) {
        guard let userID = session.userID else { throw .notAuthenticated }
        session.pendingIdentity = Session.PendingIdentity(userID: userID, method: method, authenticatedAt: clock.now())
        session.rotationRequested = true
    }

    /// Rotates the ID on save without other changes: call it on any
    /// privilege change (a role granted, an admin mode entered).
    public func rotate(_ session: inout Session) {
        session.rotationRequested = true
    }

    /// Ends the session: on save the server record is deleted and the
    /// cookie cleared (`Max-Age=0` and a past `Expires`).
    public func logOut(_ session: inout Session) {
        session.ended = true
        session.changes = [:]
        session.pendingIdentity = nil
    }

    /// Passes if the user proved who they are within `maximumAge` seconds.
    /// - Throws: ``SessionError/notAuthenticated`` or
    ///   ``SessionError/reauthenticationRequired(maximumAge:)`` (answer 403
    ///   and ask for the password again).
    public func requireRecentAuthentication(_ session: Session, within maximumAge: TimeInterval) throws(SessionError) {
        guard session.isAuthenticated, let authenticatedAt = session.authenticatedAt else { throw .notAuthenticated }
        guard clock.now().timeIntervalSince(authenticatedAt) <= maximumAge else {
            throw .reauthenticationRequired(maximumAge: maximumAge)
        }
    }
}
