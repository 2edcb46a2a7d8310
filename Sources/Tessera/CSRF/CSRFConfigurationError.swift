/// A CSRF configuration entry that does not parse.
public enum CSRFConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `scheme://host[:port]` or `scheme://*.domain[:port]`: a path,
    /// a trailing slash, `null`, another scheme, a wildcard over a public
    /// suffix or an IP address.
    case invalidTrustedOrigin(String)
    /// Not `[METHOD ]/path` with literal or `{name}` segments.
    case invalidBypassPattern(String)

    /// The entry and what it should look like.
    public var description: String {
        switch self {
        case .invalidTrustedOrigin(let text):
            "trusted origin \"\(SafeText.printable(text))\" is not scheme://host[:port] or scheme://*.domain[:port] "
                + "(no path or trailing slash, http or https, no wildcard over a public suffix)"
        case .invalidBypassPattern(let text):
            "bypass pattern \"\(SafeText.printable(text))\" is not [METHOD ]/path with literal or {name} segments"
        }
    }
}
