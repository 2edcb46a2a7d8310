import Hummingbird
import Foundation
import Tessera
public import TesseraHummingbird

/// The request context of `tessera serve`: Tessera's state plus the peer address.
public typealias ServerRequestContext = BasicTesseraRequestContext

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
