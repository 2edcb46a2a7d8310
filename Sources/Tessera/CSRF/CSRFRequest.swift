/// What the CSRF check needs to know about one request; an HTTP server
/// adapter fills it in.
///
/// There is deliberately no query-string input: a token in the URL leaks
/// into logs, history and `Referer` headers, so it is never consulted
/// (CS-C2). Header values are used as received, less surrounding spaces
/// and tabs; an empty header counts as absent. When a header appears more
/// than once, pass the values joined with `", "`, as HTTP does: a list is
/// never a valid `Origin` or `Sec-Fetch-Site`, so the check then fails
/// closed.
///
/// Its `description`, `debugDescription` and mirror show whether a token
/// came, never the token.
public struct CSRFRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The request method, case-sensitive as HTTP defines it (`POST`).
    public var method: String
    /// The request target's path, as sent (`/hooks/github`). A query or
    /// fragment, if the adapter leaves one, is cut before matching bypass
    /// patterns and never read.
    public var path: String
    /// The origin this server is reached at, from configuration or from
    /// ``CSRFOrigin/init(hostHeader:isSecure:)``; `nil` when unknown, in
    /// which case only trusted origins can match.
    public var serverOrigin: CSRFOrigin?
    /// How the request is authenticated.
    public var credential: CSRFCredentialSource
    /// The `Sec-Fetch-Site` header.
    public var secFetchSite: String?
    /// The `Origin` header.
    public var origin: String?
    /// The `Referer` header, consulted only when neither `Sec-Fetch-Site`
    /// nor `Origin` came (see ``CSRFConfiguration/checksReferer``).
    public var referer: String?
    /// The token header (``CSRFConfiguration/headerName``, by default `X-CSRF-Token`).
    public var headerToken: String?
    /// The token form field (``CSRFConfiguration/formFieldName``) of a
    /// form-encoded or multipart body, which only the adapter can parse.
    public var formToken: String?

    /// A request from values the adapter already extracted.
    public init(
        method: String,
        path: String,
        serverOrigin: CSRFOrigin?,
        credential: CSRFCredentialSource,
        secFetchSite: String? = nil,
        origin: String? = nil,
        referer: String? = nil,
        headerToken: String? = nil,
        formToken: String? = nil
    ) {
        self.method = method
        self.path = path
        self.serverOrigin = serverOrigin
        self.credential = credential
        self.secFetchSite = secFetchSite
        self.origin = origin
        self.referer = referer
        self.headerToken = headerToken
        self.formToken = formToken
    }

    /// A request whose headers are read through `header`, which returns a
    /// header's value by case-insensitive name (or `nil`).
    ///
    /// ```swift
    /// let csrfRequest = CSRFRequest(
    ///     method: request.method.rawValue, path: request.uri.path,
    ///     serverOrigin: serverOrigin, credential: .cookie,
    ///     tokenHeaderName: protection.configuration.headerName,
    ///     formToken: form["csrf_token"]
    /// ) { request.headers[$0] }
    /// ```
    public init(
        method: String,
        path: String,
        serverOrigin: CSRFOrigin?,
        credential: CSRFCredentialSource,
        tokenHeaderName: String = CSRFConfiguration.defaultHeaderName,
        formToken: String? = nil,
        header: (String) -> String?
    ) {
        self.init(
            method: method,
            path: path,
            serverOrigin: serverOrigin,
            credential: credential,
            secFetchSite: header("Sec-Fetch-Site"),
            origin: header("Origin"),
            referer: header("Referer"),
            headerToken: header(tokenHeaderName),
            formToken: formToken
        )
    }

    /// The request without its tokens: method, path, credential and the
    /// origin headers, for a log line.
    public var description: String {
        let fields: [String] = [
            "method: \(SafeText.printable(method))",
            "path: \(SafeText.printable(path))",
            "serverOrigin: \(serverOrigin.map(\.description) ?? "nil")",
            "credential: \(credential)",
            "secFetchSite: \(secFetchSite.map(SafeText.printable) ?? "nil")",
            "origin: \(origin.map(SafeText.printable) ?? "nil")",
            "referer: \(referer == nil ? "nil" : "present")",
            "headerToken: \(headerToken == nil ? "nil" : "redacted")",
            "formToken: \(formToken == nil ? "nil" : "redacted")",
        ]
        return "CSRFRequest(\(fields.joined(separator: ", ")))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the tokens, so `dump` can't print them.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}
