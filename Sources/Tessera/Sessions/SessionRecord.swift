import Foundation

/// One session as a store keeps it.
///
/// The store sees the session's values only as opaque ``data`` and never
/// sees the ``SessionID``: it files the record under its ``key``. Every
/// successful write raises ``version`` by one, which is what makes saves
/// compare-and-set.
public struct SessionRecord: Sendable, Hashable {
    /// SHA-256 of the session's ID.
    public var key: SessionLookupKey
    /// The public name of the session, for listing and revoking it.
    public var handle: SessionHandle
    /// Raised by one on every write.
    public var version: Int64
    /// The signed-in user, or `nil` for an anonymous session.
    public var userID: String?
    /// The session's values, encoded by the manager.
    public var data: [UInt8]
    /// When the session was created; the absolute lifetime counts from here.
    public var createdAt: Date
    /// The last request the server recorded (writes are throttled).
    public var lastSeenAt: Date
    /// When the store may delete the record: the earlier of the idle and
    /// absolute deadlines at the time of the last write.
    public var expiresAt: Date
    /// When the user last proved who they are (login or step-up).
    public var authenticatedAt: Date?
    /// How they proved it: `"password"`, `"passkey"`, `"sso"`…
    public var authenticationMethod: String?
    /// The client's address at the last recorded request.
    public var clientAddress: String?
    /// The client's `User-Agent` at the last recorded request.
    public var userAgent: String?

    /// Creates a record.
    public init(
        key: SessionLookupKey,
        handle: SessionHandle,
        version: Int64 = 1,
        userID: String? = nil,
        data: [UInt8] = [],
        createdAt: Date,
        lastSeenAt: Date,
        expiresAt: Date,
        authenticatedAt: Date? = nil,
        authenticationMethod: String? = nil,
        clientAddress: String? = nil,
        userAgent: String? = nil
    ) {
        self.key = key
        self.handle = handle
        self.version = version
        self.userID = userID
        self.data = data
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.authenticatedAt = authenticatedAt
        self.authenticationMethod = authenticationMethod
        self.clientAddress = clientAddress
        self.userAgent = userAgent
    }
}
