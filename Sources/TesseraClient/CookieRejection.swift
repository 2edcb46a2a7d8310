/// Why a cookie jar refused a `Set-Cookie` header (RFC 6265bis §5.6 and §5.7).
///
/// Descriptions name the rule that was broken and, where it helps, the
/// cookie's name; they never include a cookie's value.
public enum CookieRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header holds a control character other than a tab (§5.6 step 1).
    case controlCharacter
    /// The name, value or path holds a tab, which a `cookies.txt` line cannot carry
    /// (curl refuses these too).
    case tabCharacter
    /// Both the name and the value are empty.
    case emptyNameAndValue
    /// The name and value together are longer than 4096 bytes.
    case tooLarge(name: String)
    /// The request URL is not `http` or `https`.
    case unsupportedScheme
    /// The `Domain` attribute does not cover the host that set the cookie.
    case domainMismatch(name: String)
    /// The `Domain` attribute is a public suffix (`com`, `co.uk`) that is not the host itself.
    case publicSuffixDomain(name: String)
    /// `Secure` was set from a connection that is not secure.
    case secureFromInsecureOrigin(name: String)
    /// A cookie from an insecure origin would shadow a `Secure` cookie of the same name
    /// ("Leave Secure Cookies Alone").
    case wouldShadowSecureCookie(name: String)
    /// The `__Secure-` or `__Host-` prefix's conditions are not met.
    case prefixViolation(name: String, rule: String)
    /// `SameSite=None` without `Secure`.
    case sameSiteNoneWithoutSecure(name: String)

    public var description: String {
        switch self {
        case .controlCharacter: "the Set-Cookie header holds a control character"
        case .tabCharacter: "the cookie's name, value or path holds a tab, which cookies.txt cannot store"
        case .emptyNameAndValue: "the cookie has neither a name nor a value"
        case .tooLarge(let name): "cookie \(Self.quoted(name)) is larger than 4096 bytes"
        case .unsupportedScheme: "cookies are kept only for http and https URLs"
        case .domainMismatch(let name): "cookie \(Self.quoted(name)) names a Domain that does not cover the host that set it"
        case .publicSuffixDomain(let name): "cookie \(Self.quoted(name)) names a public suffix as its Domain"
        case .secureFromInsecureOrigin(let name): "cookie \(Self.quoted(name)) is Secure but came over plain http"
        case .wouldShadowSecureCookie(let name): "cookie \(Self.quoted(name)) came over plain http and would shadow a Secure cookie of the same name"
        case .prefixViolation(let name, let rule): "cookie \(Self.quoted(name)) breaks its name prefix: \(rule)"
        case .sameSiteNoneWithoutSecure(let name): "cookie \(Self.quoted(name)) has SameSite=None without Secure"
        }
    }

    private static func quoted(_ name: String) -> String {
        let shown = name.count > 64 ? String(name.prefix(64)) + "…" : name
        return "\"\(shown)\""
    }
}
