/// The outcome of ``CSRFProtection/check(_:sessionSecret:)``: go on, and
/// why, or refuse with a ``CSRFRejection``.
public enum CSRFDecision: Sendable, Hashable {
    /// Why a request was let through.
    public enum Allowance: String, Sendable, Hashable, CaseIterable {
        /// `GET`, `HEAD`, `OPTIONS` or `TRACE`: not checked, so it must not
        /// change state (CS-C10).
        case safeMethod
        /// Authenticated by a bearer token or an API key, which browsers
        /// don't attach by themselves.
        case exemptCredential
        /// The path matches a configured bypass pattern.
        case bypassPath
        /// `Sec-Fetch-Site: same-origin`.
        case sameOriginFetch
        /// `Sec-Fetch-Site: none`: the user started it (typed URL, bookmark).
        case userInitiatedFetch
        /// The `Origin` is this server's own origin.
        case sameOrigin
        /// The `Origin` is in the trusted list.
        case trustedOrigin
        /// No provenance headers, and the token matches the session's secret.
        case validToken
        /// No provenance headers and
        /// ``CSRFConfiguration/requireTokenWhenOriginAbsent`` is off
        /// (Go's treatment of non-browser clients).
        case originAbsent
    }

    /// Go on with the request.
    case allow(Allowance)
    /// Refuse the request with ``CSRFRejection/status`` (403).
    case deny(CSRFRejection)

    /// Whether the request may go on.
    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    /// The rejection, when the request was denied.
    public var rejection: CSRFRejection? {
        if case .deny(let rejection) = self { return rejection }
        return nil
    }

    /// Whether the request was positively shown to come from this site (or
    /// a trusted one): by Fetch Metadata, by `Origin` or by a valid token.
    ///
    /// `false` for requests let through unchecked (a safe method, an
    /// exempt credential, a bypass path, or no headers under Go's policy).
    /// A route that changes state may insist on `true`, so that wiring it
    /// to `GET` by mistake fails instead of opening a hole (CS-C10).
    public var isVerified: Bool {
        switch self {
        case .allow(.sameOriginFetch), .allow(.userInitiatedFetch), .allow(.sameOrigin),
             .allow(.trustedOrigin), .allow(.validToken):
            true
        case .allow, .deny:
            false
        }
    }
}
