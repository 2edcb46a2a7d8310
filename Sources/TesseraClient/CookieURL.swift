import Foundation

/// A request URL reduced to what a cookie jar looks at: the scheme, the
/// canonical host and the path (RFC 6265bis §5.1.2 and §5.8.3).
///
/// The host is lower-cased, stripped of its port and any trailing dot, and
/// international names are in their punycode form, so `WWW.Bücher.DE.:8080`
/// and `www.xn--bcher-kva.de` are the same host. Ports do not matter to
/// cookies. Only `http` and `https` URLs have one.
public struct CookieURL: Sendable, Hashable, CustomStringConvertible {
    /// `true` for `https`.
    public let isHTTPS: Bool
    /// The canonical host: lower case, no port, no trailing dot, punycode;
    /// IPv6 addresses keep their brackets.
    public let host: String
    /// The path without query or fragment; `/` when the URL has none.
    public let path: String
    /// Whether ``host`` is an IPv4 or IPv6 address rather than a name.
    public let hostIsIPAddress: Bool

    /// Parses an absolute `http` or `https` URL; `nil` for anything else.
    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        switch text[..<schemeEnd.lowerBound].lowercased() {
        case "http": isHTTPS = false
        case "https": isHTTPS = true
        default: return nil
        }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" }) ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let rawHost: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            rawHost = authority[...close]
            let port = authority[authority.index(after: close)...]
            guard port.isEmpty || (port.hasPrefix(":") && port.dropFirst().allSatisfy(\.isASCIIDigit)) else { return nil }
            guard rawHost.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            host = rawHost.lowercased()
            hostIsIPAddress = true
        } else {
            let colon = authority.firstIndex(of: ":") ?? authority.endIndex
            guard authority[colon...].dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
            var name = authority[..<colon]
            if name.hasSuffix(".") { name = name.dropLast() }
            guard !name.isEmpty, let ascii = HostASCII.toASCII(name), !ascii.isEmpty else { return nil }
            host = ascii
            hostIsIPAddress = Self.isIPv4(ascii)
        }
        let pathStart = afterScheme[authorityEnd...]
        var path = pathStart.prefix(while: { $0 != "?" && $0 != "#" })
        if path.isEmpty || !path.hasPrefix("/") { path = "/" }
        self.path = String(path)
    }

    /// Parses a Foundation URL.
    public init?(_ url: URL) {
        self.init(url.absoluteString)
    }

    /// Whether cookies marked `Secure` may travel to this URL: `https`, or a
    /// loopback host (`localhost`, `127.0.0.0/8`, `[::1]`), as browsers treat them.
    public var isSecure: Bool { isHTTPS || isLoopback }

    /// Whether the host is the local machine.
    public var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]" { return true }
        return hostIsIPAddress && host.hasPrefix("127.")
    }

    /// The default path of a cookie set from this URL (§5.1.4): the path up
    /// to, not including, its last `/`; `/` when that leaves nothing.
    public var defaultCookiePath: String {
        guard let lastSlash = path.lastIndex(of: "/"), lastSlash != path.startIndex else { return "/" }
        return String(path[..<lastSlash])
    }

    public var description: String { "\(isHTTPS ? "https" : "http")://\(host)\(path)" }

    static func isIPv4(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == 4 && labels.allSatisfy { !$0.isEmpty && $0.utf8.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
