/// Why Tessera refused to write a `Set-Cookie` header: each case is a cookie
/// a browser would drop or an injection it would allow. Messages never repeat
/// a cookie's value, which may be a secret.
public enum CookieError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is empty or not an RFC 9110 token.
    case invalidName(String)
    /// The value has a byte outside RFC 6265's `cookie-octet`.
    case invalidValue(name: String, byte: UInt8)
    /// name + value exceed 4096 bytes.
    case tooLarge(name: String, byteCount: Int)
    /// An attribute value exceeds 1024 bytes.
    case attributeTooLong(name: String, attribute: String, byteCount: Int)
    /// The `Path` does not start with `/` or has `;` or a control byte.
    case invalidPath(name: String)
    /// The `Domain` is not a host name, is an IP address, has a port, or is a public suffix.
    case invalidDomain(name: String, domain: String, reason: String)
    /// The `Expires` date is before year 1601.
    case invalidExpires(name: String)
    /// `SameSite=None` without `Secure`.
    case sameSiteNoneRequiresSecure(name: String)
    /// `Partitioned` without `Secure`.
    case partitionedRequiresSecure(name: String)
    /// A `__Secure-` name without `Secure`.
    case securePrefixRequiresSecure(name: String)
    /// A `__Host-` name without `Secure`, with a `Domain`, or with a `Path` other than `/`.
    case hostPrefixViolation(name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "cookie name \"\(Self.printable(name))\" is invalid: it must be a non-empty token without spaces, control characters or ()<>@,;:\\\"/[]?={}"
        case .invalidValue(let name, let byte):
            return "value of cookie \"\(name)\" contains byte 0x\(Hex.encode([byte])), which browsers reject (allowed: printable ASCII except space \" , ; \\); encode it, for example as base64url"
        case .tooLarge(let name, let count):
            return "cookie \"\(name)\" is \(count) bytes of name and value; browsers drop cookies over \(SetCookie.maximumNameValueBytes) bytes"
        case .attributeTooLong(let name, let attribute, let count):
            return "\(attribute) of cookie \"\(name)\" is \(count) bytes; browsers ignore attribute values over \(SetCookie.maximumAttributeValueBytes) bytes"
        case .invalidPath(let name):
            return "Path of cookie \"\(name)\" must start with \"/\" and contain no \";\" or control characters"
        case .invalidDomain(let name, let domain, let reason):
            return "Domain \"\(Self.printable(domain))\" of cookie \"\(name)\" is invalid: \(reason)"
        case .invalidExpires(let name):
            return "Expires of cookie \"\(name)\" is before the year 1601, which cookie dates cannot express"
        case .sameSiteNoneRequiresSecure(let name):
            return "cookie \"\(name)\" has SameSite=None without Secure; browsers reject it"
        case .partitionedRequiresSecure(let name):
            return "cookie \"\(name)\" is Partitioned without Secure; browsers reject it"
        case .securePrefixRequiresSecure(let name):
            return "cookie \"\(name)\" has the __Secure- prefix, so it must be Secure"
        case .hostPrefixViolation(let name, let reason):
            return "cookie \"\(name)\" has the __Host- prefix, so it \(reason)"
        }
    }

    static func printable(_ text: String) -> String { SafeText.printable(text) }
}
