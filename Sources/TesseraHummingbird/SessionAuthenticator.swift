public import Hummingbird
import Tessera

/// Authenticates the request by its session: the user signed in to the
/// session ``TesseraSessionMiddleware`` loaded, server-side or sealed.
///
/// It costs nothing: the session is already loaded. The identity's method
/// is ``AuthenticationMethod/session`` or ``AuthenticationMethod/sealedSession``,
/// its scopes unrestricted, and `authenticatedAt` the sign-in or last step-up.
public struct SessionAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    /// None: cookies have no `WWW-Authenticate` scheme.
    public var challenge: AuthenticationChallenge? { nil }

    /// An authenticator; add it after the session middleware.
    @inlinable
    public init() {}

    /// The identity of the session's signed-in user, if any.
    @inlinable
    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        Self.outcome(of: context.tessera)
    }

    @usableFromInline
    static func outcome(of state: TesseraRequestState) -> AuthenticationOutcome {
        // A session that could not be loaded is already recorded in
        // `sessionFailure`, which the guards answer with 503.
        guard let session = state.session, session.isAuthenticated, let userID = session.userID else {
            return .absent
        }
        let method: AuthenticationMethod = session.manager.sealsSessionsIntoCookies ? .sealedSession : .session
        return .authenticated(AuthenticatedIdentity(userID: userID, method: method, authenticatedAt: session.authenticatedAt))
    }
}
