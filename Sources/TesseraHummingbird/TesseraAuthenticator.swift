public import Hummingbird
public import Tessera

/// What an authenticator made of a request.
public enum AuthenticationOutcome: Sendable, Equatable {
    /// The credential is good: this is who the request is.
    case authenticated(AuthenticatedIdentity)
    /// The request carries no credential of this kind.
    case absent
    /// The request carries one and it is bad (expired, revoked, forged…).
    case refused(CredentialRejection)
    /// The store needed to decide is down: fail closed (503 on protected routes).
    case unavailable(StoreError)
}

/// A middleware that turns one kind of credential into an
/// ``AuthenticatedIdentity``.
///
/// Add authenticators to a router or group in the order you want them
/// tried; the first that accepts the request sets
/// ``TesseraRequestState/identity`` and the rest step aside. None of them
/// refuses a request by itself: a refused credential is recorded, the
/// request goes on anonymous, and a guard such as ``RequireAuthentication``
/// decides (so public routes stay public).
///
/// ```swift
/// router.add(middleware: TesseraSessionMiddleware(manager: sessions))
/// router.add(middleware: SessionAuthenticator())
/// router.add(middleware: APIKeyAuthenticator(keys: apiKeys))
/// ```
public protocol TesseraAuthenticator: RouterMiddleware where Context: TesseraRequestContext {
    /// The challenge a 401 should offer for this scheme, if it has one.
    var challenge: AuthenticationChallenge? { get }

    /// Looks at the request's credential of this kind.
    func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome
}

extension TesseraAuthenticator {
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let challenge, !context.tessera.challenges.contains(challenge) { context.tessera.challenges.append(challenge) }
        guard context.tessera.identity == nil else { return try await next(request, context) }
        switch await authenticate(request, context: context) {
        case .authenticated(let identity):
            context.tessera.identity = identity
        case .absent:
            break
        case .refused(let rejection):
            context.tessera.rejections.append(rejection)
        case .unavailable(let error):
            context.logger.error("credential store unavailable", metadata: ["tessera.error": "\(error)"])
            context.tessera.unavailableStore = error
        }
        return try await next(request, context)
    }
}
