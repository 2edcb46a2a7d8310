public import Logging
public import NIOCore
public import Tessera

/// What Tessera knows about one request: its session, who it is, and why
/// credentials it carried were refused.
///
/// Middleware fills it in as the request passes: ``TesseraSessionMiddleware``
/// sets ``session``, each authenticator adds its ``challenges`` and either
/// sets ``identity`` or records a ``rejections`` entry, and the guards
/// (``RequireAuthentication`` and friends) read it to answer 401, 403, 429
/// or 503.
public struct TesseraRequestState: Sendable {
    /// The client's address, for throttling, session records and audit
    /// lines. By default the TCP peer; behind a proxy, set it from the
    /// header your proxy writes (only when the proxy is the sole way in).
    public var clientAddress: String? {
        get { assignedClientAddress ?? peer?.ipAddress }
        set { assignedClientAddress = newValue; peer = nil }
    }
    /// The connection's peer, formatted only when someone asks.
    private var peer: SocketAddress?
    private var assignedClientAddress: String?
    /// Who the request is, once an authenticator accepted a credential.
    public var identity: AuthenticatedIdentity?
    /// The session, once ``TesseraSessionMiddleware`` loaded it.
    public internal(set) var session: RequestSession?
    /// Why the session could not be loaded (the store is down); every
    /// route that needs authentication answers 503 while it is set.
    public internal(set) var sessionFailure: SessionError?
    /// The `WWW-Authenticate` challenges of the schemes in use on this route.
    public internal(set) var challenges: [AuthenticationChallenge] = []
    /// Credentials the request carried that were refused.
    public internal(set) var rejections: [CredentialRejection] = []
    /// A store an authenticator needed and could not reach: the request
    /// must not pass as anonymous on a protected route (503).
    public internal(set) var unavailableStore: StoreError?

    /// A state with only the client's address known.
    public init(clientAddress: String? = nil) {
        self.assignedClientAddress = clientAddress
    }

    /// A state whose client address is `peer`, the connection's remote end.
    public init(peer: SocketAddress?) {
        self.peer = peer
    }

    /// A state whose client address is `channel`'s peer.
    public init(channel: any Channel) {
        self.init(peer: channel.remoteAddress)
    }

    /// The session, or the problem to answer when there is none.
    public func requireSession() throws -> RequestSession {
        if let session { return session }
        if sessionFailure != nil { throw ProblemDetails.serviceUnavailable }
        throw ProblemDetails(status: .internalServerError, code: "session_middleware_missing",
                             detail: "No session middleware runs on this route.")
    }

    /// Whether a store the request needed was down: the answer for a
    /// protected route is 503, never a pass.
    public var storeWasUnavailable: Bool {
        unavailableStore != nil || sessionFailure != nil
    }

    /// Adds `challenge` to the ones a 401 offers, once.
    @usableFromInline
    mutating func offer(_ challenge: AuthenticationChallenge) {
        if !challenges.contains(challenge) { challenges.append(challenge) }
    }

    /// Records what an authenticator found.
    @usableFromInline
    mutating func apply(_ outcome: AuthenticationOutcome, logger: Logger) {
        switch outcome {
        case .authenticated(let identity):
            self.identity = identity
        case .absent:
            break
        case .refused(let rejection):
            rejections.append(rejection)
        case .unavailable(let error):
            logger.error("credential store unavailable", metadata: ["tessera.error": "\(error)"])
            unavailableStore = error
        }
    }
}
