/// Why an unsafe request was refused as a possible cross-site forgery.
///
/// Answer ``status`` (403) with ``code`` for programs and ``message`` for
/// the developer reading the response or the log. Neither ever contains a
/// token, a secret or any other request data: the message names only the
/// configured header and field names.
public struct CSRFRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable reasons; the raw value is the machine-readable code.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// `Sec-Fetch-Site` is `cross-site` or `same-site` and the `Origin`
        /// is not trusted.
        case crossSiteFetch = "csrf.cross_site_fetch"
        /// `Sec-Fetch-Site` has a value browsers never send.
        case fetchSiteInvalid = "csrf.fetch_site_invalid"
        /// `Origin: null`: a sandboxed frame, a `file:` page, a
        /// `data:` URL or a cross-origin redirect.
        case originNull = "csrf.origin_null"
        /// The `Origin` header is not one `scheme://host[:port]` origin.
        case originInvalid = "csrf.origin_invalid"
        /// The `Origin` is neither this server's origin nor trusted.
        case originUntrusted = "csrf.origin_untrusted"
        /// With no `Origin`, the `Referer` names another origin or is not a URL.
        case refererUntrusted = "csrf.referer_untrusted"
        /// No browser provenance headers and no token either.
        case tokenMissing = "csrf.token_missing"
        /// A token came but it was not minted from this session's secret.
        case tokenMismatch = "csrf.token_mismatch"
        /// A token came but the session has no CSRF secret to check it against.
        case sessionMissing = "csrf.session_missing"
    }

    /// Why the request was refused.
    public let reason: Reason
    /// What was missing or wrong and how to fix it, for a developer.
    public let message: String

    /// The stable, machine-readable code, such as `csrf.token_missing`.
    public var code: String { reason.rawValue }

    /// The HTTP status to answer with: always 403 Forbidden.
    public var status: Int { 403 }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// A rejection whose message names the configured header and field.
    init(_ reason: Reason, configuration: CSRFConfiguration) {
        self.reason = reason
        self.message = Self.message(for: reason, configuration: configuration)
    }

    static func message(for reason: Reason, configuration: CSRFConfiguration) -> String {
        let header = SafeText.printable(configuration.headerName)
        let sendToken = if let field = configuration.formFieldName {
            "send the \(header) header or the \(SafeText.printable(field)) form field with the token from the page"
        } else {
            "send the \(header) header with the token from the page"
        }
        switch reason {
        case .crossSiteFetch:
            return "the browser marked this request as coming from another site (Sec-Fetch-Site: cross-site or same-site) "
                + "and its Origin is not trusted: submit from a page on this origin, or add the calling origin to the trusted origins"
        case .fetchSiteInvalid:
            return "the Sec-Fetch-Site header is not same-origin, same-site, cross-site or none: "
                + "send it only as browsers do, or not at all"
        case .originNull:
            return "the Origin header is \"null\" (a sandboxed frame, a file: or data: page, or a redirect from another origin): "
                + "submit from a page served by this origin"
        case .originInvalid:
            return "the Origin header is not a single scheme://host[:port] origin: send it only as browsers do, or not at all"
        case .originUntrusted:
            return "the Origin header names another origin (scheme, host and port must all match this server's): "
                + "submit from this origin, add the calling origin to the trusted origins, or check the configured server origin"
        case .refererUntrusted:
            return "without an Origin header, the Referer header names another origin or is not a URL: "
                + "submit from a page on this origin"
        case .tokenMissing:
            return "no CSRF token and no Origin or Sec-Fetch-Site header: \(sendToken)"
        case .tokenMismatch:
            return "the CSRF token does not belong to this session (it changes on sign-in): "
                + "reload the page for a fresh token and \(sendToken)"
        case .sessionMissing:
            return "a CSRF token came but this session has none to compare it with (new or expired session): "
                + "render the form with a token from this session first"
        }
    }
}
