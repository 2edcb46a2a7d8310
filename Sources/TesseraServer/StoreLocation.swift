/// Where the server keeps its tables: one SQLite file (the default) or a
/// PostgreSQL database that several servers share.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, created on first use.
    case sqlite(path: String)
    /// A PostgreSQL URL, `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    case postgres(url: String)

    /// `sqlite:PATH`, a bare path, or a `postgres://` / `postgresql://` URL.
    /// - Throws: ``ServerConfigurationError/invalidValue(key:reason:)``.
    public init(parsing text: String) throws(ServerConfigurationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .invalidValue(key: "store", reason: "sqlite: needs a file path, as in sqlite:tessera-data/tessera.db") }
            self = .sqlite(path: path)
        } else if text.contains("://") {
            throw .invalidValue(key: "store", reason: "use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        } else {
            guard !text.isEmpty else { throw .invalidValue(key: "store", reason: "the store is empty") }
            self = .sqlite(path: text)
        }
    }

    /// The location with any password hidden, for log lines.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// `url` with the password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let credentials = url[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
