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
    ///
    /// Parsers disagree about odd URLs, and a jar that reads a different host
    /// than the connection goes to would hand one site's cookies to another. So
    /// this works on Unicode scalars, not Characters, and refuses what parsers
    /// read differently: a backslash, an empty or malformed IPv6 literal, and a
    /// host that looks numeric but is not a plain dotted quad (`127.1`, `0x7f.0.0.1`).
    public init?(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.contains("\\"), !scalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
        guard let schemeEnd = Self.find([":", "/", "/"], in: scalars) else { return nil }
        switch String(String.UnicodeScalarView(scalars[..<schemeEnd])).lowercased() {
        case "http": isHTTPS = false
        case "https": isHTTPS = true
        default: return nil
        }
        let rest = scalars[(schemeEnd + 3)...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[(at + 1)...] }
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]"), close > authority.startIndex + 1 else { return nil }
            let inside = authority[(authority.startIndex + 1)..<close]
            guard inside.contains(":"), inside.allSatisfy({ ($0.properties.isASCIIHexDigit) || $0 == ":" || $0 == "." }) else { return nil }
            let port = authority[(close + 1)...]
            guard port.isEmpty || (port.first == ":" && port.dropFirst().allSatisfy(Self.isDigit)) else { return nil }
            host = "[" + String(String.UnicodeScalarView(inside)).lowercased() + "]"
            hostIsIPAddress = true
        } else {
            let colon = authority.firstIndex(of: ":") ?? authority.endIndex
            guard authority[colon...].dropFirst().allSatisfy(Self.isDigit) else { return nil }
            var name = authority[..<colon]
            if name.last == "." { name = name.dropLast() }
            guard !name.isEmpty, let ascii = HostASCII.toASCII(String(String.UnicodeScalarView(name))), !ascii.isEmpty else { return nil }
            let lastLabel = ascii.split(separator: ".", omittingEmptySubsequences: false).last ?? ""
            let looksNumeric = lastLabel.allSatisfy(\.isASCIIDigit) || lastLabel.hasPrefix("0x")
            if looksNumeric && !Self.isIPv4(ascii) { return nil }
            host = ascii
            hostIsIPAddress = looksNumeric
        }
        var path = rest[authorityEnd...]
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        self.path = path.first == "/" ? String(String.UnicodeScalarView(path)) : "/"
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

    /// A plain dotted quad: four decimal parts of at most three digits, each up to 255.
    static func isIPv4(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == 4 && labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 3 && label.allSatisfy(\.isASCIIDigit) && Int(label).map { $0 <= 255 } == true
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private static func find(_ pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> Int? {
        guard scalars.count >= pattern.count else { return nil }
        for start in 0...(scalars.count - pattern.count) where Array(scalars[start..<(start + pattern.count)]) == pattern {
            return start
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
