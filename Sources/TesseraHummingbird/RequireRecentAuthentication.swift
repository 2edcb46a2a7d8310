public import Foundation
public import Hummingbird
public import Tessera

/// Lets a request through only if the user proved who they are within
/// ``maximumAge`` seconds: the step-up before changing a password, an
/// e-mail address or deleting an account (ASVS-7.5.1).
///
/// Sessions count their sign-in or last ``RequestSession/reauthenticate(method:)``;
/// access tokens their `iat`; API keys never pass. A refusal is 403
/// `reauthentication_required`, or for a browser asking for a page, a
/// 303 to `loginPage?rd=<path>&reauth=1` when a login page is set.
public struct RequireRecentAuthentication<Context: TesseraRequestContext>: RouterMiddleware {
    /// The longest time since authentication, in seconds.
    public let maximumAge: TimeInterval
    /// Where browsers go to enter their password again, or `nil`.
    public let loginPage: String?
    /// The clock ages are measured on.
    public let clock: any WallClock

    /// A guard.
    public init(within maximumAge: TimeInterval, loginPage: String? = nil, clock: any WallClock = SystemWallClock()) {
        self.maximumAge = maximumAge
        self.loginPage = loginPage
        self.clock = clock
    }

    /// Runs the check, then the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity = try context.requireIdentity()
        if let at = identity.authenticatedAt, clock.now().timeIntervalSince(at) <= maximumAge {
            return try await next(request, context)
        }
        if let loginPage, request.method == .get || request.method == .head, RequireAuthentication<Context>.acceptsHTML(request) {
            throw LoginRedirect(location: loginPage + "?rd=" + RequireAuthentication<Context>.returnPath(of: request) + "&reauth=1")
        }
        throw ProblemDetails(status: .forbidden, code: "reauthentication_required",
                             detail: "Enter your password again to continue (within \(Int(maximumAge)) seconds).")
    }
}
