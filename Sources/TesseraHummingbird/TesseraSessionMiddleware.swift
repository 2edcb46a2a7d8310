import Foundation
import HTTPTypes
public import Hummingbird
public import Logging

public import Tessera

/// Loads the request's session before the route runs and saves it after.
///
/// - **One store round trip to read**, none for sealed sessions and none
///   when the request carries no session cookie. The save writes only when
///   something changed (or the idle deadline must move), so a plain page
///   view of a live session costs one read.
/// - **`Set-Cookie` only when it must:** a new session that stores
///   something, a rotated ID, a logout, a dead cookie to clear, or an
///   expiry that moved. Every response that sets a cookie also carries
///   `Vary: Cookie` and `Cache-Control: no-store`, so no shared cache keeps
///   one user's cookie for the next (CS-S13).
/// - **Fails closed.** When the store can't be read, the request goes on
///   with no session and ``TesseraRequestState/sessionFailure`` set; the
///   guards answer 503 and ``RequestSession`` is never handed out. When the
///   save fails, the response becomes a 503: a sign-in that was not stored
///   must not look like one that was.
/// - Errors a route throws (``ProblemDetails``, `HTTPError`) still get the
///   session saved, so a 401 page can clear a dead cookie.
///
/// ```swift
/// let sessions = SessionManager(store: storage.sessions)
/// router.add(middleware: TesseraSessionMiddleware(manager: sessions))
/// ```
public struct TesseraSessionMiddleware<Context: TesseraRequestContext>: RouterMiddleware {
    /// The manager that loads and saves.
    public let manager: SessionManager
    /// Where rotations, logouts and forged session cookies are reported.
    public let audit: AuditLog

    /// A middleware over `manager`.
    public init(manager: SessionManager, audit: AuditLog = AuditLog()) {
        self.manager = manager
        self.audit = audit
    }

    /// Loads the session, runs the rest of the chain, saves the session.
    @inlinable
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let session = await open(request, state: &context.tessera, logger: context.logger) else {
            return try await next(request, context)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        return try await close(session, response: response, state: context.tessera, logger: context.logger)
    }

    /// Loads the request's session into `state`; `nil` (and
    /// ``TesseraRequestState/sessionFailure`` set) when the store is down.
    @usableFromInline
    func open(_ request: Request, state: inout TesseraRequestState, logger: Logger) async -> RequestSession? {
        // The session cookie and, for sealed sessions, its chunks (`name.1`…).
        let name = manager.configuration.cookie.name
        let cookies = RequestCookies(headers: request.cookieHeaderValues) { $0.hasPrefix(name) }
        let session: RequestSession
        do {
            let client: @Sendable () -> SessionClient = { [state] in
                SessionClient(address: state.clientAddress, userAgent: request.headers[.userAgent])
            }
            session = RequestSession(manager: manager, session: try await manager.load(from: cookies), client: client)
        } catch {
            logger.error("session store unavailable", metadata: ["tessera.error": "\(error)"])
            state.sessionFailure = error
            return nil
        }
        if case .ended(let end) = session.origin, end == .unknown || end == .malformed {
            // A cookie naming no session this server issued: stale after a
            // logout, or someone guessing IDs (CS-S16). Never the value.
            audit.record(.sessionCookieRefused(reason: end == .unknown ? "unknown" : "malformed"), client: state.clientAddress)
        }
        state.session = session
        return session
    }

    /// Saves `session` and adds its cookies to `response`; a failed save
    /// turns the response into a 503.
    @usableFromInline
    func close(_ session: RequestSession, response: Response, state: TesseraRequestState, logger: Logger) async throws -> Response {
        var response = response
        let saved: (cookies: [SetCookie], events: [AuditEvent])
        do {
            saved = try await session.save()
        } catch {
            logger.error("session could not be saved", metadata: ["tessera.error": "\(error)"])
            return ProblemDetails.serviceUnavailable.response
        }
        for event in saved.events { audit.record(event, client: state.clientAddress) }
        guard !saved.cookies.isEmpty else { return response }
        for cookie in saved.cookies {
            response.headers.append(HTTPField(name: .setCookie, value: try cookie.headerValue()))
        }
        Self.keepOutOfSharedCaches(&response.headers)
        return response
    }

    /// Adds `Vary: Cookie` (once) and `Cache-Control: no-store`.
    static func keepOutOfSharedCaches(_ headers: inout HTTPFields) {
        let varies = headers[values: .vary].flatMap { $0.split(separator: ",") }
            .contains { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("cookie") == .orderedSame || $0.contains("*") }
        if !varies { headers.append(HTTPField(name: .vary, value: "Cookie")) }
        headers[.cacheControl] = "no-store"
    }
}
