/// Where a request may carry an API key, and how to pick it out.
///
/// By default a key is read from `Authorization: Bearer tsk_…`,
/// `API-Access-Key` and `X-API-Key`. A query parameter is accepted only
/// when a deployment turns it on: URLs end up in proxy logs, browser
/// history and `Referer` headers, so a key sent that way should be
/// treated as leaked (ASVS 14.2.1).
public struct APIKeyCredentialSource: Sendable {
    /// Header names checked besides `Authorization`, case-insensitively.
    public var headerNames: [String]
    /// The query parameter to read, or `nil` (the default) to never read one.
    public var queryParameter: String?

    /// The default: `Authorization: Bearer`, `API-Access-Key`, `X-API-Key`; no query parameter.
    public init(headerNames: [String] = ["API-Access-Key", "X-API-Key"], queryParameter: String? = nil) {
        self.headerNames = headerNames
        self.queryParameter = queryParameter
    }

    /// What a request carried.
    public enum Presented: Sendable, Equatable {
        /// No API key.
        case none
        /// One key (the same text wherever it appeared).
        case key(String)
        /// Different keys in different places (or in repeats of one header): refuse (400/401).
        case conflicting
    }

    /// Picks the key out of a request. `headers(name)` returns every value of
    /// a header (case-insensitive name); `query(name)` every value of a query parameter.
    public func presented(headers: (String) -> [String], query: (String) -> [String] = { _ in [] }) -> Presented {
        var found: [String] = []
        for value in headers("Authorization") {
            let credentials = AuthorizationHeaderValue(value)
            if credentials.hasScheme("bearer"), credentials.parameters.hasPrefix(APIKey.prefix) {
                found.append(String(credentials.parameters))
            }
        }
        for name in headerNames { found.append(contentsOf: headers(name).map { $0.trimmingSpaces() }) }
        if let queryParameter { found.append(contentsOf: query(queryParameter)) }
        guard let first = found.first else { return .none }
        return found.allSatisfy({ $0 == first }) ? .key(first) : .conflicting
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
