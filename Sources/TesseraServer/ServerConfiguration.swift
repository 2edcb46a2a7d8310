public import Configuration
import Foundation

/// Everything `tessera serve` is told: where to listen, where data lives,
/// how cookies are scoped, which origins may call it.
///
/// Each setting has one name used everywhere: the flag `--data-dir`, the
/// environment variable `TESSERA_DATA_DIR`, the key `data-dir` of the JSON
/// config file. Flags beat the environment, which beats the file.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on.
    public var port = 8080
    /// Where the SQLite file and the keys live.
    public var dataDirectory = "tessera-data"
    /// The store; `nil` means `DATA-DIR/tessera.db`.
    public var storeLocation: StoreLocation?
    /// The URL users reach the server at; `nil` means `http://HOST:PORT`.
    /// An `https` URL makes the session cookie `Secure` and `__Host-`/`__Secure-` prefixed.
    public var publicURL: URL?
    /// The `Domain` of the session cookie, to share it with subdomains.
    public var cookieDomain: String?
    /// Hosts `/login?rd=` may send a user back to, besides the server's own
    /// and the cookie domain's.
    public var allowedRedirectHosts: [String] = []
    /// Origins allowed credentialed cross-origin calls (CORS), exactly as a
    /// browser sends them: `https://app.example.com`.
    public var corsOrigins: [String] = []
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String] = []
    /// The scrypt cost, 2^N. Lower than 17 only for tests.
    public var scryptLogN = 17
    /// Seconds after a refresh during which the old refresh token still
    /// yields the same successor (two tabs refreshing at once both carry
    /// on); a reuse after that revokes the token's family.
    public var refreshGraceSeconds = 30

    /// The defaults.
    public init() {}

    /// The store to open.
    public var resolvedStore: StoreLocation {
        storeLocation ?? .sqlite(path: (dataDirectory as NSString).appendingPathComponent("tessera.db"))
    }

    /// The URL users reach the server at.
    public var resolvedPublicURL: URL {
        // `host` passed `isHost`, so the URL always parses; the fallback only
        // guards values set in code rather than read.
        publicURL ?? URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)") ?? URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Whether the public URL is `https`: cookies are then `Secure`.
    public var isSecure: Bool { resolvedPublicURL.scheme?.lowercased() == "https" }

    /// Every setting, with its environment variable, for `--help` and the README.
    public static let keys: [(key: String, help: String)] = [
        ("host", "The address to listen on (default 127.0.0.1)."),
        ("port", "The port to listen on (default 8080)."),
        ("data-dir", "Where the SQLite store and the keys live (default ./tessera-data)."),
        ("store", "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default sqlite:DATA-DIR/tessera.db)."),
        ("public-url", "The URL users reach the server at (default http://HOST:PORT); https makes cookies Secure."),
        ("cookie-domain", "Share the session cookie with this domain's subdomains."),
        ("allowed-redirect-hosts", "Hosts /login?rd= may return to, comma-separated."),
        ("cors-origins", "Origins allowed credentialed CORS calls, comma-separated."),
        ("trusted-proxies", "Proxy addresses whose X-Forwarded-For names the client, comma-separated."),
        ("scrypt-log-n", "Password hashing cost 2^N (default 17; lower only for tests)."),
        ("refresh-grace-seconds", "Seconds a rotated refresh token still yields the same successor (default 30, 0-300)."),
    ]

    /// Reads every setting from `reader`, keeping the defaults for missing ones.
    /// - Throws: ``ServerConfigurationError`` naming the first bad setting.
    public init(reading reader: ConfigReader) throws(ServerConfigurationError) {
        self.init()
        host = reader.string(forKey: "host") ?? host
        guard Self.isHost(host) else {
            throw .invalidValue(key: "host", reason: "expected an address or host name such as 127.0.0.1, 0.0.0.0 or ::1")
        }
        port = try Self.integer("port", in: reader) ?? port
        guard (1...65_535).contains(port) else { throw .invalidValue(key: "port", reason: "\(port) is not a TCP port (1-65535)") }
        dataDirectory = reader.string(forKey: "data-dir") ?? dataDirectory
        if let store = reader.string(forKey: "store", isSecret: true) { storeLocation = try StoreLocation(parsing: store) }
        if let text = reader.string(forKey: "public-url") {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw .invalidValue(key: "public-url", reason: "expected an http:// or https:// URL such as https://auth.example.com")
            }
            publicURL = url
        }
        if let domain = reader.string(forKey: "cookie-domain"), !domain.isEmpty {
            let trimmed = domain.hasPrefix(".") ? String(domain.dropFirst()) : domain
            guard trimmed.contains("."), trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw .invalidValue(key: "cookie-domain", reason: "expected a domain such as example.com")
            }
            cookieDomain = trimmed.lowercased()
        }
        allowedRedirectHosts = Self.list("allowed-redirect-hosts", in: reader).map { $0.lowercased() }
        corsOrigins = Self.list("cors-origins", in: reader)
        for origin in corsOrigins {
            guard let url = URL(string: origin), url.host != nil, url.path.isEmpty, ["http", "https"].contains(url.scheme ?? "") else {
                throw .invalidValue(key: "cors-origins", reason: "\(origin) is not an origin such as https://app.example.com")
            }
        }
        trustedProxies = Self.list("trusted-proxies", in: reader)
        for proxy in trustedProxies where !TrustedProxyAddress.isAddress(proxy) {
            throw .invalidValue(key: "trusted-proxies", reason: "\(proxy) is not an IP address such as 127.0.0.1")
        }
        scryptLogN = try Self.integer("scrypt-log-n", in: reader) ?? scryptLogN
        guard (10...21).contains(scryptLogN) else { throw .invalidValue(key: "scrypt-log-n", reason: "must be between 10 and 21") }
        refreshGraceSeconds = try Self.integer("refresh-grace-seconds", in: reader) ?? refreshGraceSeconds
        guard (0...300).contains(refreshGraceSeconds) else {
            throw .invalidValue(key: "refresh-grace-seconds", reason: "must be between 0 and 300 seconds")
        }
    }

    /// A host name or IP literal: letters, digits, `.`, `-` and `:` (IPv6), 1 to 253 characters.
    static func isHost(_ text: String) -> Bool {
        (1...253).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
    }

    private static func integer(_ key: ConfigKey, in reader: ConfigReader) throws(ServerConfigurationError) -> Int? {
        if let value = reader.int(forKey: key) { return value }
        guard let text = reader.string(forKey: key) else { return nil }
        guard let value = Int(text) else { throw .invalidValue(key: "\(key)", reason: "\"\(text)\" is not a whole number") }
        return value
    }

    /// A list from an array (JSON file) or comma-separated text (flags, environment).
    private static func list(_ key: ConfigKey, in reader: ConfigReader) -> [String] {
        let items = reader.stringArray(forKey: key) ?? reader.string(forKey: key).map { $0.split(separator: ",").map(String.init) } ?? []
        return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
