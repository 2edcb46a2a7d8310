import Foundation
import HTTPTypes
public import Hummingbird
public import Tessera

/// Refuses cross-site forgeries of unsafe requests (`POST`, `PUT`,
/// `PATCH`, `DELETE`, …) that ride on ambient credentials.
///
/// Put it after the authenticators: it checks requests authenticated by a
/// cookie (session, sealed session, signed cookie, JWT in a cookie) or by
/// Basic, and anonymous ones (login CSRF); a bearer token or API key in a
/// header is exempt. The decision is ``CSRFProtection``'s, layered:
/// `Sec-Fetch-Site`, else `Origin` against ``serverOrigin`` and the trusted
/// origins, else the session-bound masked token from `X-CSRF-Token` or,
/// for a form post, the `csrf_token` field (read from a bounded copy of
/// the body, which the route can still decode). Get a token for a page or
/// an API client from ``RequestSession/csrfToken()``.
///
/// A refusal is 403 problem details with the reason code
/// (`csrf.cross_site_fetch`, `csrf.origin_untrusted`, `csrf.token_missing`, …),
/// and a `csrf.rejected` audit event.
public struct CSRFMiddleware<Context: TesseraRequestContext>: RouterMiddleware {
    /// The checker and its configuration.
    public let protection: CSRFProtection
    /// This site's own origin, e.g. `https://app.example.com`. Without it,
    /// only the trusted origins (and `Sec-Fetch-Site`) can pass a request
    /// that has an `Origin` header.
    public let serverOrigin: CSRFOrigin?
    /// Where refusals are reported.
    public let audit: AuditLog

    /// A middleware.
    public init(protection: CSRFProtection = CSRFProtection(), serverOrigin: CSRFOrigin?, audit: AuditLog = AuditLog()) {
        self.protection = protection
        self.serverOrigin = serverOrigin
        self.audit = audit
    }

    /// Runs the check, then the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !CSRFProtection.safeMethods.contains(request.method.rawValue) else { return try await next(request, context) }
        let credential: CSRFCredentialSource = switch context.tessera.identity?.method {
        case nil: .none
        case .jwt: .bearerToken
        case .apiKey: .apiKey
        case .some: .cookie
        }
        guard credential.isCheckedForForgery else { return try await next(request, context) }

        var request = request
        var formToken: String?
        if let field = protection.configuration.formFieldName,
           Self.needsFormToken(request, tokenHeader: protection.configuration.headerName), Self.isForm(request) {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            formToken = Self.formValue(named: field, in: String(buffer: body))
        }
        let csrfRequest = CSRFRequest(
            method: request.method.rawValue, path: request.uri.path, serverOrigin: serverOrigin, credential: credential,
            tokenHeaderName: protection.configuration.headerName, formToken: formToken
        ) { name in HTTPField.Name(name).flatMap { request.headers[$0] } }
        let secret = context.tessera.session.flatMap { CSRFTokens.secret(in: $0.snapshot) }
        if let rejection = protection.check(csrfRequest, sessionSecret: secret).rejection {
            audit.record(.csrfRejected(code: rejection.code), client: context.tessera.clientAddress)
            throw ProblemDetails(status: .forbidden, code: rejection.code, detail: rejection.message)
        }
        return try await next(request, context)
    }

    /// The token is only consulted when neither `Sec-Fetch-Site` nor
    /// `Origin` came, so only then is the body read.
    static func needsFormToken(_ request: Request, tokenHeader: String) -> Bool {
        request.headers[HTTPField.Name("Sec-Fetch-Site")!] == nil && request.headers[.origin] == nil
            && HTTPField.Name(tokenHeader).map { request.headers[$0] == nil } ?? true
    }

    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    /// The first value of `name` in an `application/x-www-form-urlencoded` body.
    static func formValue(named name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.decode(parts[0]) == name else { continue }
            return parts.count == 2 ? Self.decode(parts[1]) : ""
        }
        return nil
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
