public import Hummingbird
import Tessera

/// Authenticates the request by its session: the user signed in to the
/// session ``TesseraSessionMiddleware`` loaded, server-side or sealed.
///
/// It costs nothing: the session is already loaded. The identity's method
/// is ``AuthenticationMethod/session`` or ``AuthenticationMethod/sealedSession``,
/// its scopes unrestricted, and `authenticatedAt` the sign-in or last step-up.
public struct SessionAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    public var challenge: AuthenticationChallenge? { nil }

    /// An authenticator; add it after the session middleware.
    public init() {}

    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        if let failure = context.tessera.sessionFailure, case .storeUnavailable(let error) = failure {
            return .unavailable(error)
        }
        guard let session = context.tessera.session?.snapshot, session.isAuthenticated, let userID = session.userID else {
            return .absent
        }
        let method: AuthenticationMethod = context.tessera.session?.manager.sealsSessionsIntoCookies == true ? .sealedSession : .session
        return .authenticated(AuthenticatedIdentity(userID: userID, method: method, authenticatedAt: session.authenticatedAt))
    }
}
