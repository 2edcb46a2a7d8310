import Foundation
import Tessera

/// A cookie as a jar keeps it: the record of RFC 6265bis §5.7.
public struct JarCookie: Sendable, Hashable {
    /// The name; empty for a nameless cookie (`Set-Cookie: value`).
    public var name: String
    /// The value, exactly as received.
    public var value: String
    /// The canonical host (host-only cookies) or the `Domain` (domain cookies), without a leading dot.
    public var domain: String
    /// `true` when the cookie goes to ``domain`` only, not to its subdomains.
    public var hostOnly: Bool
    /// The path the cookie is scoped to.
    public var path: String
    /// `true` when the cookie travels only over secure connections.
    public var secure: Bool
    /// `true` when scripts in a browser may not read it. A command-line client is an
    /// HTTP API, so such cookies are still sent.
    public var httpOnly: Bool
    /// The `SameSite` attribute; `nil` for absent or unrecognised ("Default").
    public var sameSite: SameSite?
    /// When the cookie expires; `nil` for a session cookie.
    public var expires: Date?
    /// When the first cookie of this name, domain and path was stored; replacing it keeps this.
    public var created: Date
    /// Orders cookies created in the same instant, and across a `cookies.txt` file.
    var creationIndex: UInt64 = 0
    /// When a request last carried the cookie, as a counter (least recently used goes first).
    var lastAccess: UInt64 = 0

    /// Creates a cookie record directly (for loading from elsewhere).
    public init(name: String, value: String, domain: String, hostOnly: Bool = true, path: String = "/",
                secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite? = nil, expires: Date? = nil,
                created: Date = Date()) {
        self.name = name
        self.value = value
        self.domain = domain
        self.hostOnly = hostOnly
        self.path = path
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.expires = expires
        self.created = created
    }

    /// `false` for a session cookie, which ends when the client's session does.
    public var isPersistent: Bool { expires != nil }

    /// Whether the cookie has expired at `now`.
    public func isExpired(at now: Date) -> Bool {
        guard let expires else { return false }
        return expires <= now
    }

    /// The `name=value` form of a `Cookie` header (just the value for a nameless cookie).
    public var headerPair: String { name.isEmpty ? value : "\(name)=\(value)" }

    /// Whether the jar would send this cookie to `url` (domain, path and `Secure`;
    /// expiry is the caller's to check).
    public func matches(_ url: CookieURL) -> Bool {
        if hostOnly {
            guard url.host == domain else { return false }
        } else {
            guard CookieMatching.domain(url.host, matches: domain, hostIsIPAddress: url.hostIsIPAddress) else { return false }
        }
        guard CookieMatching.path(url.path, matches: path) else { return false }
        return !secure || url.isSecure
    }

    /// The key that makes two cookies the same one: name, domain, host-only and path.
    var identity: Identity { Identity(name: name, domain: domain, hostOnly: hostOnly, path: path) }

    /// Compared byte for byte, as browsers compare: Swift's `String ==` is
    /// canonical equivalence, under which the names `e\u{301}` and `é`
    /// would be one cookie and a later one would replace the other.
    struct Identity: Hashable {
        let name: String, domain: String, hostOnly: Bool, path: String

        static func == (left: Identity, right: Identity) -> Bool {
            left.hostOnly == right.hostOnly && left.name.utf8.elementsEqual(right.name.utf8)
                && left.domain.utf8.elementsEqual(right.domain.utf8) && left.path.utf8.elementsEqual(right.path.utf8)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hostOnly)
            Self.combineBytes(of: name, into: &hasher)
            Self.combineBytes(of: domain, into: &hasher)
            Self.combineBytes(of: path, into: &hasher)
        }

        private static func combineBytes(of text: String, into hasher: inout Hasher) {
            var text = text
            hasher.combine(text.utf8.count)
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}

/// Domain and path matching (RFC 6265bis §5.1.3 and §5.1.4).
enum CookieMatching {
    /// A host domain-matches a domain when it is identical, or ends with `.` plus
    /// the domain and is a host name rather than an IP address.
    static func domain(_ host: String, matches domain: String, hostIsIPAddress: Bool) -> Bool {
        if host == domain { return true }
        guard !hostIsIPAddress, host.utf8.count > domain.utf8.count, host.utf8.reversed().starts(with: domain.utf8.reversed()) else { return false }
        return host.utf8.dropLast(domain.utf8.count).last == UInt8(ascii: ".")
    }

    /// A request path path-matches a cookie path when it is identical, or starts
    /// with it and the cookie path ends in `/` or the next character is `/`.
    static func path(_ requestPath: String, matches cookiePath: String) -> Bool {
        if requestPath.utf8.elementsEqual(cookiePath.utf8) { return true }
        guard requestPath.utf8.starts(with: cookiePath.utf8) else { return false }
        if cookiePath.utf8.last == UInt8(ascii: "/") { return true }
        return requestPath.utf8.dropFirst(cookiePath.utf8.count).first == UInt8(ascii: "/")
    }
}
