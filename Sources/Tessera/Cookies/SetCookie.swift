import Foundation

/// A cookie to send in a `Set-Cookie` response header (RFC 6265bis §4.1).
///
/// The defaults are the safe ones: `Secure`, `HttpOnly`, `SameSite=Lax`,
/// `Path=/`, no `Domain` (host-only) and no expiry (a session cookie).
/// ``headerValue()`` refuses, with a ``CookieError`` that says why, anything
/// a browser would drop or that could inject a header.
public struct SetCookie: Sendable, Hashable {
    /// The largest name + value browsers store (RFC 6265bis §5.6 step 4).
    public static let maximumNameValueBytes = 4096
    /// The largest attribute value browsers honour (RFC 6265bis §5.6 step 5).
    public static let maximumAttributeValueBytes = 1024
    /// The longest lifetime browsers keep: 400 days (RFC 6265bis §5.6.2).
    public static let maximumMaxAge = 400 * 86_400

    /// The cookie name: an RFC 9110 token.
    public var name: String
    /// The value: RFC 6265 cookie-octets (use base64url or a codec for anything else).
    public var value: String
    /// The domain the cookie is shared with (and all its subdomains); `nil`
    /// keeps it on the exact host that set it.
    public var domain: String?
    /// The path prefix the cookie is sent for; `/` by default.
    public var path: String
    /// When the browser drops the cookie; `nil` (with no `maxAge`) makes a session cookie.
    public var expires: Date?
    /// Lifetime in seconds; written capped to ``maximumMaxAge`` and never negative.
    public var maxAge: Int?
    /// Sent over HTTPS only; required by `SameSite=None`, `Partitioned` and the name prefixes.
    public var secure: Bool
    /// Hidden from page scripts.
    public var httpOnly: Bool
    /// `nil` writes no `SameSite` attribute.
    public var sameSite: SameSite?
    /// CHIPS: the cookie is keyed to the top-level site (requires `Secure`).
    public var partitioned: Bool

    /// Creates a cookie with safe defaults.
    public init(
        name: String,
        value: String,
        domain: String? = nil,
        path: String = "/",
        expires: Date? = nil,
        maxAge: Int? = nil,
        secure: Bool = true,
        httpOnly: Bool = true,
        sameSite: SameSite? = .lax,
        partitioned: Bool = false
    ) {
        self.name = name
        self.value = value
        self.domain = domain
        self.path = path
        self.expires = expires
        self.maxAge = maxAge
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
    }

    /// The cookie that deletes this one: same name, `Domain`, `Path` and
    /// security attributes (so a `__Host-` deletion is still accepted), an
    /// empty value, `Max-Age=0` and an `Expires` at the epoch for old clients.
    public func deletion() -> SetCookie {
        SetCookie(
            name: name, value: "", domain: domain, path: path,
            expires: Date(timeIntervalSince1970: 0), maxAge: 0,
            secure: secure, httpOnly: httpOnly, sameSite: sameSite, partitioned: partitioned
        )
    }

    /// Checks every rule without building the header.
    public func validate() throws(CookieError) {
        _ = try headerValue()
    }

    /// The `Set-Cookie` field value, for example
    /// `sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax`.
    ///
    /// - Parameter publicSuffixes: the list a `Domain` is checked against.
    public func headerValue(publicSuffixes: PublicSuffixList = .shared) throws(CookieError) -> String {
        guard CookieSyntax.isToken(name.utf8) else { throw .invalidName(CookieError.printable(name)) }
        if let byte = CookieSyntax.firstInvalidValueByte(value) { throw .invalidValue(name: name, byte: byte) }
        let size = name.utf8.count + value.utf8.count
        guard size <= Self.maximumNameValueBytes else { throw .tooLarge(name: name, byteCount: size) }

        guard path.utf8.first == UInt8(ascii: "/"), CookieSyntax.isSafeAttributeValue(path) else { throw .invalidPath(name: name) }
        guard path.utf8.count <= Self.maximumAttributeValueBytes else {
            throw .attributeTooLong(name: name, attribute: "Path", byteCount: path.utf8.count)
        }

        var domainText: String?
        if let domain {
            guard domain.utf8.count <= Self.maximumAttributeValueBytes else {
                throw .attributeTooLong(name: name, attribute: "Domain", byteCount: domain.utf8.count)
            }
            switch CookieDomain.normalise(domain, publicSuffixes: publicSuffixes) {
            case .success(let normalised): domainText = normalised
            case .failure(let refusal): throw .invalidDomain(name: name, domain: domain, reason: refusal.reason)
            }
        }

        var expiresText: String?
        if let expires {
            guard let formatted = HTTPDate.format(expires) else { throw .invalidExpires(name: name) }
            expiresText = formatted
        }

        if sameSite == SameSite.none && !secure { throw .sameSiteNoneRequiresSecure(name: name) }
        if partitioned && !secure { throw .partitionedRequiresSecure(name: name) }
        switch CookiePrefix(name: name) {
        case .secure?:
            if !secure { throw .securePrefixRequiresSecure(name: name) }
        case .host?:
            if !secure { throw .hostPrefixViolation(name: name, reason: "must be Secure") }
            if domain != nil { throw .hostPrefixViolation(name: name, reason: "must not have a Domain") }
            if path != "/" { throw .hostPrefixViolation(name: name, reason: "must have Path=/") }
        case nil:
            break
        }

        var header = name + "=" + value
        if let domainText { header += "; Domain=" + domainText }
        header += "; Path=" + path
        if let maxAge { header += "; Max-Age=\(min(max(maxAge, 0), Self.maximumMaxAge))" }
        if let expiresText { header += "; Expires=" + expiresText }
        if secure { header += "; Secure" }
        if httpOnly { header += "; HttpOnly" }
        if let sameSite { header += "; SameSite=" + sameSite.rawValue }
        if partitioned { header += "; Partitioned" }
        return header
    }
}
