/// The cookies a response sets: at most one per (name, domain, path), the
/// last one set winning (RFC 6265 §4.1.1), each written as its own
/// `Set-Cookie` field line (never comma-joined).
public struct ResponseCookies: Sendable {
    private var cookies: [SetCookie] = []

    /// An empty set.
    public init() {}

    /// Adds a cookie, replacing an earlier one with the same name, domain and path.
    public mutating func set(_ cookie: SetCookie) {
        let key = Self.identity(cookie)
        if let index = cookies.firstIndex(where: { Self.identity($0) == key }) {
            cookies.remove(at: index)
        }
        cookies.append(cookie)
    }

    /// Adds the deletion of a cookie (see ``SetCookie/deletion()``).
    public mutating func delete(_ cookie: SetCookie) {
        set(cookie.deletion())
    }

    /// The cookies in the order they were last set.
    public var all: [SetCookie] { cookies }

    /// One `Set-Cookie` field value per cookie.
    public func headerValues(publicSuffixes: PublicSuffixList = .shared) throws(CookieError) -> [String] {
        var values: [String] = []
        values.reserveCapacity(cookies.count)
        for cookie in cookies { values.append(try cookie.headerValue(publicSuffixes: publicSuffixes)) }
        return values
    }

    private static func identity(_ cookie: SetCookie) -> [String] {
        [cookie.name, cookie.domain.map { $0.hasPrefix(".") ? String($0.dropFirst()).lowercased() : $0.lowercased() } ?? "", cookie.path]
    }
}
