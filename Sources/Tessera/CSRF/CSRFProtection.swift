/// Refuses cross-site request forgery, in layers, without knowing any HTTP
/// server: an adapter builds a ``CSRFRequest``, calls ``check(_:sessionSecret:)``
/// and answers a ``CSRFDecision/deny(_:)`` with 403.
///
/// The order of the checks follows Go 1.25's `http.CrossOriginProtection`,
/// with a synchronizer token for clients that send no provenance headers:
///
/// 1. `GET`, `HEAD`, `OPTIONS` and `TRACE` pass unchecked; they must not
///    change state (see ``CSRFDecision/isVerified``).
/// 2. Requests authenticated by a bearer token or an API key pass: a page
///    on another site can't attach those (``CSRFCredentialSource``).
///    Cookie-authenticated *and anonymous* requests go on to be checked.
/// 3. A path matching a bypass pattern passes.
/// 4. `Sec-Fetch-Site: same-origin` or `none` passes; any other value
///    (`cross-site`, `same-site`, garbage) is refused unless the `Origin` is
///    trusted.
/// 5. Otherwise an `Origin` header decides: this server's own origin
///    (scheme, host and port all equal) or a trusted one passes; `null`, a
///    malformed value or any other origin is refused.
/// 6. With neither header (an old browser, or a program): a `Referer` from
///    another origin is refused, then a valid masked token from the header
///    or the form field is required (unless
///    ``CSRFConfiguration/requireTokenWhenOriginAbsent`` is off).
///
/// A valid token never rescues a request that failed step 4 or 5: a
/// browser that says the request is cross-site is believed, whatever the
/// request carries, because a token can leak (into a cached page or a
/// sibling subdomain's script) while those headers can't be forged by a
/// page. Tokens are the fallback for clients without the headers, not a
/// second way in.
///
/// The token's secret lives in the session (``CSRFTokens``); there is no
/// CSRF cookie, and nothing in the check depends on `SameSite`.
public struct CSRFProtection: Sendable {
    /// The methods that are never checked: `GET`, `HEAD`, `OPTIONS`, `TRACE`.
    /// Methods are case-sensitive, so `get` is unsafe and checked.
    public static let safeMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "TRACE"]

    /// The policy in force.
    public let configuration: CSRFConfiguration

    /// A checker with `configuration` (by default: see ``CSRFConfiguration``).
    public init(configuration: CSRFConfiguration = CSRFConfiguration()) {
        self.configuration = configuration
    }

    /// Decides one request, with the session's secret for the token
    /// fallback (``CSRFTokens/secret(in:)``; `nil` when it has none).
    public func check(_ request: CSRFRequest, sessionSecret: CSRFSecret?) -> CSRFDecision {
        if Self.safeMethods.contains(request.method) { return .allow(.safeMethod) }
        if !request.credential.isCheckedForForgery { return .allow(.exemptCredential) }
        if configuration.bypassPatterns.contains(where: { $0.matches(method: request.method, path: request.path) }) {
            return .allow(.bypassPath)
        }

        let origin = OriginHeader(Self.present(request.origin))

        if let fetchSite = Self.present(request.secFetchSite) {
            switch fetchSite {
            case "same-origin":
                return .allow(.sameOriginFetch)
            case "none":
                return .allow(.userInitiatedFetch)
            default:
                if case .origin(let sender) = origin, configuration.trusts(sender) { return .allow(.trustedOrigin) }
                let crossSite = fetchSite == "cross-site" || fetchSite == "same-site"
                return deny(crossSite ? .crossSiteFetch : .fetchSiteInvalid)
            }
        }

        switch origin {
        case .origin(let sender):
            if sender == request.serverOrigin { return .allow(.sameOrigin) }
            if configuration.trusts(sender) { return .allow(.trustedOrigin) }
            return deny(.originUntrusted)
        case .null:
            return deny(.originNull)
        case .invalid:
            return deny(.originInvalid)
        case .absent:
            return checkWithoutProvenance(request, sessionSecret: sessionSecret)
        }
    }

    /// Decides one request with the secret stored in `session`.
    public func check(_ request: CSRFRequest, session: Session) -> CSRFDecision {
        check(request, sessionSecret: CSRFTokens.secret(in: session))
    }

    /// Step 6: no `Sec-Fetch-Site`, no `Origin`.
    func checkWithoutProvenance(_ request: CSRFRequest, sessionSecret: CSRFSecret?) -> CSRFDecision {
        if configuration.checksReferer, let referer = Self.present(request.referer) {
            guard let sender = Self.origin(ofURL: referer),
                  sender == request.serverOrigin || configuration.trusts(sender)
            else { return deny(.refererUntrusted) }
        }
        guard configuration.requireTokenWhenOriginAbsent else { return .allow(.originAbsent) }
        let token = Self.present(request.headerToken) ?? (configuration.formFieldName == nil ? nil : Self.present(request.formToken))
        guard let token else { return deny(.tokenMissing) }
        guard let sessionSecret else { return deny(.sessionMissing) }
        return sessionSecret.matches(token) ? .allow(.validToken) : deny(.tokenMismatch)
    }

    func deny(_ reason: CSRFRejection.Reason) -> CSRFDecision {
        .deny(CSRFRejection(reason, configuration: configuration))
    }

    /// What an `Origin` header holds.
    enum OriginHeader {
        case absent, null, invalid
        case origin(CSRFOrigin)

        init(_ value: String?) {
            guard let value else { self = .absent; return }
            if value == "null" {
                self = .null
            } else if let origin = CSRFOrigin(value) {
                self = .origin(origin)
            } else {
                self = .invalid
            }
        }
    }

    /// The header value less surrounding spaces and tabs; `nil` when absent or empty.
    static func present(_ value: String?) -> String? {
        guard let value else { return nil }
        let isWhitespace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return nil }
        return String(scalars[first...last])
    }

    /// The origin of an absolute `http(s)` URL such as a `Referer`:
    /// `scheme://host[:port]` up to the first `/`, `?` or `#`.
    static func origin(ofURL url: String) -> CSRFOrigin? {
        let bytes = Array(url.utf8)
        guard bytes.count <= 8192, let separator = CSRFOrigin.find(Array("://".utf8), in: bytes) else { return nil }
        let authorityStart = separator + 3
        let end = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? bytes.endIndex
        return CSRFOrigin(String(decoding: bytes[..<end], as: UTF8.self))
    }
}
