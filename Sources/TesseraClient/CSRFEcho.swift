/// How a client proves to a server that an unsafe request (POST, PUT, PATCH,
/// DELETE) is deliberate, for servers that protect cookie sessions against CSRF.
public struct CSRFEcho: Sendable, Hashable {
    /// The "double submit" pattern: the server sets a readable cookie and wants
    /// its value echoed in a request header.
    public struct CookiePair: Sendable, Hashable {
        /// The cookie the server sets, matched exactly.
        public var cookieName: String
        /// The header that carries its value back.
        public var headerName: String

        /// A cookie-to-header pair.
        public init(cookieName: String, headerName: String) {
            self.cookieName = cookieName
            self.headerName = headerName
        }
    }

    /// A server that hands out its token in a JSON document, such as Tessera's
    /// `GET /api/session` (`{"csrfToken": …}`): fetched once per origin, on the
    /// first unsafe request that no cookie pair covers.
    public struct Endpoint: Sendable, Hashable {
        /// The path on the request's origin.
        public var path: String
        /// The top-level JSON string field that holds the token.
        public var field: String
        /// The header that carries the token.
        public var headerName: String

        /// An endpoint that hands out a token.
        public init(path: String, field: String, headerName: String) {
            self.path = path
            self.field = field
            self.headerName = headerName
        }

        /// `tessera serve`: `GET /api/session` → `csrfToken` → `X-CSRF-Token`.
        public static let tessera = Endpoint(path: "/api/session", field: "csrfToken", headerName: "X-CSRF-Token")
    }

    /// Cookie pairs, tried in order; the first cookie the jar would send wins.
    public var cookiePairs: [CookiePair]
    /// Where to fetch a token when no cookie pair applies; `nil` for nowhere.
    public var endpoint: Endpoint?

    /// Echo settings.
    public init(cookiePairs: [CookiePair] = CSRFEcho.commonCookiePairs, endpoint: Endpoint? = nil) {
        self.cookiePairs = cookiePairs
        self.endpoint = endpoint
    }

    /// The cookies of common frameworks: Angular/Laravel's `XSRF-TOKEN` →
    /// `X-XSRF-TOKEN`, Django's `csrftoken` → `X-CSRFToken`, Tornado's `_xsrf` → `X-XSRFToken`.
    public static let commonCookiePairs = [
        CookiePair(cookieName: "XSRF-TOKEN", headerName: "X-XSRF-TOKEN"),
        CookiePair(cookieName: "csrftoken", headerName: "X-CSRFToken"),
        CookiePair(cookieName: "_xsrf", headerName: "X-XSRFToken"),
    ]

    /// No echo at all.
    public static let disabled = CSRFEcho(cookiePairs: [], endpoint: nil)

    /// Whether a method needs a token: anything but GET, HEAD, OPTIONS and TRACE.
    public static func isUnsafe(method: String) -> Bool {
        !["GET", "HEAD", "OPTIONS", "TRACE"].contains(method.uppercased())
    }
}
