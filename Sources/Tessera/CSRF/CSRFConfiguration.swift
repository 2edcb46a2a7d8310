/// The policy of a ``CSRFProtection``.
///
/// The defaults suit a server-rendered site on one origin:
/// - no trusted origins besides the server's own, and no bypass paths;
/// - the token travels in the `X-CSRF-Token` header or the `csrf_token`
///   form field;
/// - a request with neither `Sec-Fetch-Site` nor `Origin` must carry a
///   valid token (``requireTokenWhenOriginAbsent``), and a `Referer` from
///   another origin refuses it first (``checksReferer``).
///
/// No setting involves `SameSite`: the check holds on its own, and a
/// `SameSite` attribute on the session cookie is defense in depth only
/// (CS-C12).
public struct CSRFConfiguration: Sendable {
    /// `X-CSRF-Token`.
    public static let defaultHeaderName = "X-CSRF-Token"
    /// `csrf_token`.
    public static let defaultFormFieldName = "csrf_token"

    /// Other origins whose unsafe requests are allowed, exact or by
    /// subdomain wildcard. The server's own origin needs no entry.
    public var trustedOrigins: [CSRFTrustedOrigin]
    /// Routes that skip the check entirely (webhooks). Default: none.
    public var bypassPatterns: [CSRFBypassPattern]
    /// The request header that carries the token. Default `X-CSRF-Token`.
    public var headerName: String
    /// The form field that carries the token, or `nil` to accept the
    /// header only (an API where every client is a script). Default
    /// `csrf_token`.
    public var formFieldName: String?
    /// Whether a request with neither `Sec-Fetch-Site` nor `Origin` (an old
    /// browser, or a program) must carry a valid token. Default `true`, as
    /// the OWASP cheat sheet recommends blocking when both are missing.
    /// `false` lets such requests through, as Go's
    /// `http.CrossOriginProtection` does, on the grounds that browsers
    /// which send neither header are no longer in use.
    public var requireTokenWhenOriginAbsent: Bool
    /// Whether, when neither `Sec-Fetch-Site` nor `Origin` came, a
    /// `Referer` naming an untrusted origin (or no URL at all) refuses the
    /// request. A matching `Referer` never lets a request through by
    /// itself. Default `true`.
    public var checksReferer: Bool

    /// A configuration; every argument has the documented default.
    public init(
        trustedOrigins: [CSRFTrustedOrigin] = [],
        bypassPatterns: [CSRFBypassPattern] = [],
        headerName: String = Self.defaultHeaderName,
        formFieldName: String? = Self.defaultFormFieldName,
        requireTokenWhenOriginAbsent: Bool = true,
        checksReferer: Bool = true
    ) {
        self.trustedOrigins = trustedOrigins
        self.bypassPatterns = bypassPatterns
        self.headerName = headerName
        self.formFieldName = formFieldName
        self.requireTokenWhenOriginAbsent = requireTokenWhenOriginAbsent
        self.checksReferer = checksReferer
    }

    /// A configuration from text, as it would appear in a settings file:
    /// `["https://admin.example.com", "https://*.example.com"]` and
    /// `["POST /hooks/"]`.
    /// - Throws: ``CSRFConfigurationError`` naming the first entry that
    ///   does not parse.
    public init(
        trustedOrigins: [String],
        bypassPatterns: [String] = [],
        headerName: String = Self.defaultHeaderName,
        formFieldName: String? = Self.defaultFormFieldName,
        requireTokenWhenOriginAbsent: Bool = true,
        checksReferer: Bool = true
    ) throws(CSRFConfigurationError) {
        var origins: [CSRFTrustedOrigin] = []
        for text in trustedOrigins {
            guard let origin = CSRFTrustedOrigin(text) else { throw .invalidTrustedOrigin(text) }
            origins.append(origin)
        }
        var patterns: [CSRFBypassPattern] = []
        for text in bypassPatterns {
            guard let pattern = CSRFBypassPattern(text) else { throw .invalidBypassPattern(text) }
            patterns.append(pattern)
        }
        self.init(
            trustedOrigins: origins,
            bypassPatterns: patterns,
            headerName: headerName,
            formFieldName: formFieldName,
            requireTokenWhenOriginAbsent: requireTokenWhenOriginAbsent,
            checksReferer: checksReferer
        )
    }

    /// Whether `origin` is in the trusted list.
    func trusts(_ origin: CSRFOrigin) -> Bool {
        trustedOrigins.contains { $0.matches(origin) }
    }
}
