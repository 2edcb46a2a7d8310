/// An origin other than the server's own whose unsafe requests are allowed:
/// one exact origin, or every subdomain of a domain.
///
/// ```swift
/// CSRFTrustedOrigin("https://admin.example.com")   // exactly that origin
/// CSRFTrustedOrigin("https://*.example.com")       // a.example.com, a.b.example.com, …
/// ```
///
/// A wildcard entry matches hosts with one or more labels in front of the
/// domain, with the same scheme and port. It never matches the bare domain
/// (`example.com`), a look-alike that merely contains it
/// (`example.com.attacker.net`, `evilexample.com`), or another scheme or
/// port. A wildcard over a public suffix (`https://*.co.uk`, `https://*.com`)
/// or an IP address is refused.
public struct CSRFTrustedOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The origin, or for a wildcard entry the scheme, parent domain and port.
    public let origin: CSRFOrigin
    /// Whether this entry matches the subdomains of ``origin`` instead of ``origin`` itself.
    public let matchesSubdomains: Bool

    /// Trusts exactly `origin`.
    public init(_ origin: CSRFOrigin) {
        self.origin = origin
        self.matchesSubdomains = false
    }

    /// Trusts every subdomain of `parent`'s host (same scheme and port),
    /// never the host itself; `nil` when the host is an IP address or a
    /// public suffix.
    public init?(subdomainsOf parent: CSRFOrigin) {
        guard parent.isDomainName, !PublicSuffixList.shared.isPublicSuffix(parent.host) else { return nil }
        self.origin = parent
        self.matchesSubdomains = true
    }

    /// Parses `scheme://host[:port]` or `scheme://*.domain[:port]`;
    /// `nil` for anything else (a path, a trailing slash, `null`, …).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let separator = CSRFOrigin.find(Array("://".utf8), in: bytes) else { return nil }
        let authority = bytes[(separator + 3)...]
        if authority.starts(with: "*.".utf8) {
            let parentText = String(decoding: bytes[..<(separator + 3)] + authority.dropFirst(2), as: UTF8.self)
            guard let parent = CSRFOrigin(parentText) else { return nil }
            self.init(subdomainsOf: parent)
        } else {
            guard let origin = CSRFOrigin(text) else { return nil }
            self.init(origin)
        }
    }

    /// Whether a request from `candidate` is trusted by this entry.
    public func matches(_ candidate: CSRFOrigin) -> Bool {
        guard matchesSubdomains else { return candidate == origin }
        guard candidate.scheme == origin.scheme, candidate.port == origin.port, candidate.isDomainName else { return false }
        // One or more whole labels in front: "x.example.com", never
        // "example.com" or "xexample.com".
        let suffix = "." + origin.host
        return candidate.host.count > suffix.count && candidate.host.hasSuffix(suffix)
    }

    /// The entry as written in configuration: `https://*.example.com`.
    public var description: String {
        guard matchesSubdomains else { return origin.description }
        let port = origin.port == CSRFOrigin.defaultPort(of: origin.scheme) ? "" : ":\(origin.port)"
        return "\(origin.scheme)://*.\(origin.host)\(port)"
    }
}
