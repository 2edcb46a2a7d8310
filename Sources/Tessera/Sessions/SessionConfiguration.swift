import Foundation

/// The session policy: how long sessions live, how their cookie looks,
/// how often activity is written, and how many sessions one user may hold.
///
/// The defaults suit a typical web application; the README's "Session
/// timeouts" table gives the reasoning (OWASP Session Management Cheat
/// Sheet, NIST SP 800-63B §2.2.3 / §7.2) and a test keeps the two in sync.
public struct SessionConfiguration: Sendable {
    /// What happens when a user signs in once more than ``maximumSessionsPerUser`` allows.
    public enum SessionLimitPolicy: Sendable, Equatable {
        /// End the user's least recently created session to make room.
        case evictOldest
        /// Refuse the new sign-in with ``SessionError/tooManySessions(limit:)``.
        case refuseNew
    }

    /// The session cookie's name and attributes.
    public struct Cookie: Sendable {
        /// The cookie name. `__Host-` pins it to this exact host over HTTPS
        /// with `Path=/` and no `Domain`, so a sibling subdomain can't set or
        /// overwrite it (cookie tossing).
        public var name: String
        /// Share the cookie with subdomains; requires a `__Secure-` (or
        /// unprefixed) name, since `__Host-` forbids `Domain`.
        public var domain: String?
        /// `Lax` by default: sent on top-level navigation, not on cross-site
        /// subrequests. `Strict` suits admin consoles.
        public var sameSite: SameSite
        /// `false` (the default) makes a browser-session cookie with no
        /// expiry. `true` ("remember me") sets `Max-Age` to the time left
        /// before the server ends the session, re-issued whenever that moves.
        public var persistent: Bool
        /// `false` only for plain-HTTP development on `localhost`; a
        /// `__Host-` or `__Secure-` name requires `true`.
        public var secure: Bool

        /// The secure defaults: `__Host-tessera-session`, `SameSite=Lax`, not persistent.
        public init(
            name: String = "__Host-tessera-session",
            domain: String? = nil,
            sameSite: SameSite = .lax,
            persistent: Bool = false,
            secure: Bool = true
        ) {
            self.name = name
            self.domain = domain
            self.sameSite = sameSite
            self.persistent = persistent
            self.secure = secure
        }
    }

    /// The default idle timeout: 30 minutes.
    public static let defaultIdleTimeout: TimeInterval = 30 * 60
    /// The default absolute lifetime: 12 hours.
    public static let defaultAbsoluteTimeout: TimeInterval = 12 * 3600
    /// The default interval between last-seen writes: 60 seconds.
    public static let defaultActivityWriteInterval: TimeInterval = 60

    /// A session unused for this long ends (server-side, from stored times).
    public var idleTimeout: TimeInterval
    /// A session ends this long after it was created, however active it is.
    public var absoluteTimeout: TimeInterval
    /// A request that changes nothing writes its last-seen time at most this
    /// often; idle expiry may therefore come up to this much early.
    public var activityWriteInterval: TimeInterval
    /// The most sessions one user may hold at once; `nil` for no limit.
    public var maximumSessionsPerUser: Int?
    /// What happens at that limit.
    public var sessionLimitPolicy: SessionLimitPolicy
    /// The session cookie.
    public var cookie: Cookie
    /// How many times a save re-reads and re-applies after losing a race
    /// before giving up with ``SessionError/saveContention(attempts:)``.
    public var maximumSaveAttempts: Int

    /// Creates a policy; every argument has the documented default.
    public init(
        idleTimeout: TimeInterval = SessionConfiguration.defaultIdleTimeout,
        absoluteTimeout: TimeInterval = SessionConfiguration.defaultAbsoluteTimeout,
        activityWriteInterval: TimeInterval = SessionConfiguration.defaultActivityWriteInterval,
        maximumSessionsPerUser: Int? = nil,
        sessionLimitPolicy: SessionLimitPolicy = .evictOldest,
        cookie: Cookie = Cookie(),
        maximumSaveAttempts: Int = 256
    ) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.activityWriteInterval = activityWriteInterval
        self.maximumSessionsPerUser = maximumSessionsPerUser
        self.sessionLimitPolicy = sessionLimitPolicy
        self.cookie = cookie
        self.maximumSaveAttempts = maximumSaveAttempts
    }

    /// When a session created at `createdAt` and last seen at `lastSeenAt` ends.
    public func deadline(createdAt: Date, lastSeenAt: Date) -> Date {
        min(lastSeenAt.addingTimeInterval(idleTimeout), createdAt.addingTimeInterval(absoluteTimeout))
    }

    /// Why a session has ended at `now`, or `nil` if it is live.
    public func expiry(createdAt: Date, lastSeenAt: Date, now: Date) -> SessionEnd? {
        if now >= createdAt.addingTimeInterval(absoluteTimeout) { return .absoluteTimeout }
        if now >= lastSeenAt.addingTimeInterval(idleTimeout) { return .idleTimeout }
        return nil
    }

    /// The `Set-Cookie` that carries `value`, expiring at `deadline` when persistent.
    func setCookie(value: String, name: String? = nil, deadline: Date, now: Date) -> SetCookie {
        SetCookie(
            name: name ?? cookie.name, value: value, domain: cookie.domain, path: "/",
            expires: cookie.persistent ? deadline : nil,
            maxAge: cookie.persistent ? max(0, Int(deadline.timeIntervalSince(now).rounded(.down))) : nil,
            secure: cookie.secure, httpOnly: true, sameSite: cookie.sameSite
        )
    }

    /// The `Set-Cookie` that clears the session cookie.
    func clearingCookie(name: String? = nil) -> SetCookie {
        SetCookie(name: name ?? cookie.name, value: "", domain: cookie.domain, secure: cookie.secure, sameSite: cookie.sameSite).deletion()
    }
}

/// Why a presented session is not live.
public enum SessionEnd: Sendable, Equatable {
    /// Unused for longer than the idle timeout.
    case idleTimeout
    /// Older than the absolute lifetime.
    case absoluteTimeout
    /// Ended by logout or revocation, or never issued by this server.
    case unknown
    /// The cookie was not shaped like a session ID or failed its seal.
    case malformed
    /// A sealed session whose user (or everyone) was signed out everywhere.
    case revoked
}
