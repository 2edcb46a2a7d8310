public import Hummingbird
public import NIOCore

/// A Hummingbird request context that carries Tessera's per-request state:
/// the session, the authenticated identity and what the authenticators saw.
///
/// Use ``BasicTesseraRequestContext``, or add one stored property to your
/// own context:
///
/// ```swift
/// struct AppRequestContext: TesseraRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var tessera: TesseraRequestState
///     init(source: ApplicationRequestContextSource) {
///         coreContext = .init(source: source)
///         tessera = TesseraRequestState(channel: source.channel)
///     }
/// }
/// ```
public protocol TesseraRequestContext: RequestContext {
    /// Tessera's state for this request.
    var tessera: TesseraRequestState { get set }
}

extension TesseraRequestContext {
    /// The authenticated identity, or `nil` for an anonymous request.
    public var identity: AuthenticatedIdentity? { tessera.identity }

    /// The authenticated identity, or a 401 problem.
    public func requireIdentity() throws -> AuthenticatedIdentity {
        guard let identity = tessera.identity else {
            throw ProblemDetails(status: .unauthorized, code: "authentication_required", detail: "Sign in to continue.")
        }
        return identity
    }

    /// The request's session (loaded by ``TesseraSessionMiddleware``).
    /// - Throws: a 503 problem when the session store could not be read, a
    ///   500 problem when no session middleware runs on this route.
    public func requireSession() throws -> RequestSession {
        try tessera.requireSession()
    }
}

/// The request context Tessera's tests and examples use: Hummingbird's
/// core storage plus ``TesseraRequestState``, with the peer address read
/// from the connection.
public struct BasicTesseraRequestContext: TesseraRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Tessera's per-request state.
    public var tessera: TesseraRequestState
    /// The connection's peer address.
    public let remoteAddress: SocketAddress?

    /// A context for one request on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        tessera = TesseraRequestState(peer: remoteAddress)
    }
}
