public import Hummingbird
import Foundation
public import NIOCore
import Tessera
public import TesseraHummingbird

/// The request context of `tessera serve`: Tessera's state, the peer
/// address, and JSON answers with sorted keys and unescaped slashes, so
/// they read the same every time.
public struct ServerRequestContext: TesseraRequestContext, RemoteAddressRequestContext {
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

    /// Sorted keys, `/` not escaped.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension TesseraRequestContext {
    /// The signed-in account, looked up by the identity's user ID; a
    /// deleted or disabled account counts as signed out (401).
    func requireUser(in services: ServerServices) async throws -> UserRecord {
        try await requireUser(in: services, userID: try requireIdentity().userID)
    }

    /// The account `userID`, which must exist and be enabled (else 401).
    func requireUser(in services: ServerServices, userID: String) async throws -> UserRecord {
        let user: UserRecord?
        do { user = try await services.storage.users.user(id: userID) } catch { throw ProblemDetails.serviceUnavailable }
        guard let user, !user.disabled else {
            throw ProblemDetails(status: .unauthorized, code: "account.unavailable", detail: "This account is disabled.",
                                 headers: [.wwwAuthenticate: #"Bearer realm="tessera""#])
        }
        return user
    }

    /// The client's address for throttling and audit lines.
    var clientAddressForThrottling: String { tessera.clientAddress ?? "unknown" }
}

extension Date {
    /// ISO 8601 in UTC with seconds, as every JSON answer writes dates.
    var iso8601: String { formatted(.iso8601) }
}
