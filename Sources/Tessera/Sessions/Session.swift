import Foundation

/// One request's view of its session: typed values, who is signed in, and
/// the changes this request made.
///
/// Get one from ``SessionManager/load(from:client:)``, read and change it
/// while handling the request, then hand it to
/// ``SessionManager/save(_:)``, which writes only what changed and returns
/// the `Set-Cookie` headers to send.
public struct Session: Sendable {
    /// What the request presented, for logging and abuse detection.
    public enum Origin: Sendable, Equatable {
        /// No session cookie came with the request.
        case none
        /// A live session was resumed.
        case resumed
        /// A cookie came but its session is over (or never existed): the
        /// request gets a fresh session, never the presented ID.
        case ended(SessionEnd)
    }

    /// How the request found its session.
    public internal(set) var origin: Origin

    // Server-side: the ID in the cookie (never exposed). Sealed: nil.
    var id: SessionID?
    /// The stored state as of the last load or save; `nil` until first saved.
    var record: SessionRecord?
    /// Sealed sessions: the revocation epochs the cookie was issued under.
    var epochs: RevocationEpochs.Stamp?
    var values: SessionValues
    /// Keys this request set (a value) or removed (`nil`).
    var changes: [String: [UInt8]?] = [:]
    /// A sign-in (or sign-out of the user) waiting for the save.
    var pendingIdentity: PendingIdentity?
    var rotationRequested = false
    var ended = false
    /// The client facts the next write records: set it before
    /// ``SessionManager/save(_:)`` (a framework can leave formatting the
    /// peer address until ``SessionManager/saveIsDue(_:)`` says a write
    /// will happen).
    public var client: SessionClient
    /// Sealed sessions: the request's cookies, to delete stale chunks.
    var requestCookies = RequestCookies(header: "")

    struct PendingIdentity: Sendable, Equatable {
        var userID: String?
        var method: String?
        var authenticatedAt: Date?
    }

    init(origin: Origin, id: SessionID?, record: SessionRecord?, values: SessionValues, client: SessionClient, epochs: RevocationEpochs.Stamp? = nil) {
        self.origin = origin
        self.id = id
        self.record = record
        self.values = values
        self.client = client
        self.epochs = epochs
    }

    /// The value stored under `key`, or `nil`.
    /// - Throws: ``SessionError/valueCoding(key:reason:)`` if the stored JSON
    ///   is not a `Value`.
    public func get<Value>(_ key: SessionKey<Value>) throws(SessionError) -> Value? {
        guard let json = values.entries[key.name] else { return nil }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(json))
        } catch {
            throw .valueCoding(key: key.name, reason: "stored value is not a \(Value.self)")
        }
    }

    /// Stores `value` under `key`.
    public mutating func set<Value>(_ key: SessionKey<Value>, _ value: Value) throws(SessionError) {
        let json: [UInt8]
        do {
            json = Array(try JSONEncoder().encode(value))
        } catch {
            throw .valueCoding(key: key.name, reason: "\(Value.self) is not encodable as JSON")
        }
        values.entries[key.name] = json
        changes[key.name] = .some(json)
    }

    /// Removes the value under `key`.
    public mutating func remove<Value>(_ key: SessionKey<Value>) {
        values.entries[key.name] = nil
        changes[key.name] = .some(nil)
    }

    /// The names of the stored values.
    public var keys: [String] { values.entries.keys.sorted() }

    /// The signed-in user, or `nil`.
    public var userID: String? {
        if let pendingIdentity { return pendingIdentity.userID }
        return record?.userID
    }

    /// Whether a user is signed in.
    public var isAuthenticated: Bool { userID != nil && !ended }

    /// When the user last proved who they are.
    public var authenticatedAt: Date? {
        if let pendingIdentity { return pendingIdentity.authenticatedAt }
        return record?.authenticatedAt
    }

    /// How the user last proved who they are.
    public var authenticationMethod: String? {
        if let pendingIdentity { return pendingIdentity.method }
        return record?.authenticationMethod
    }

    /// The public handle of the session, once it has been saved.
    public var handle: SessionHandle? { record?.handle }

    /// When the session was created, once it has been saved.
    public var createdAt: Date? { record?.createdAt }

    /// When the session was last written (its activity, to within
    /// ``SessionConfiguration/activityWriteInterval``); `nil` until first saved.
    public var lastSeenAt: Date? { record?.lastSeenAt }

    /// Whether the session has not been saved yet.
    public var isNew: Bool { record == nil }

    /// Whether the request logged out.
    public var isEnded: Bool { ended }

    /// Whether this request changed anything that a save must write.
    public var hasChanges: Bool {
        !changes.isEmpty || pendingIdentity != nil || rotationRequested
    }

    /// Whether there is anything worth storing for a new session.
    var hasContent: Bool { !values.isEmpty || userID != nil }

    /// Whether a save has anything to do: end or clear a session, store a
    /// new one with content, write changes, or move the idle deadline once
    /// `activityWriteInterval` has passed since the last write. Both
    /// backends' saves return no cookies and touch nothing when this is false.
    func saveIsDue(now: Date, activityWriteInterval: TimeInterval) -> Bool {
        let presented = origin != .none
        if ended { return presented || record != nil }
        guard let record else { return hasContent || presented }
        return hasChanges || now.timeIntervalSince(record.lastSeenAt) >= activityWriteInterval
    }
}

/// Facts about the client, recorded with the session for the user's
/// "where you're signed in" page.
public struct SessionClient: Sendable, Equatable {
    /// The client's address, as your proxy configuration establishes it.
    public var address: String?
    /// The `User-Agent` header, cut to 256 bytes.
    public var userAgent: String?

    /// Creates client facts; long values are cut to what stores keep.
    public init(address: String? = nil, userAgent: String? = nil) {
        self.address = address.map { String(decoding: $0.utf8.prefix(64), as: UTF8.self) }
        self.userAgent = userAgent.map { String(decoding: $0.utf8.prefix(256), as: UTF8.self) }
    }
}
