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
    /// Offers this scheme's challenge, then, unless an earlier
    /// authenticator already accepted the request, records what
    /// ``authenticate(_:context:)`` made of it; then the rest of the chain.
    @inlinable
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let challenge { context.tessera.offer(challenge) }
        if context.tessera.identity == nil {
            let outcome = await authenticate(request, context: context)
            context.tessera.apply(outcome, logger: context.logger)
        }
        return try await next(request, context)
    }
}
