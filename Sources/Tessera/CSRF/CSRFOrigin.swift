/// A web origin, `scheme://host[:port]` (RFC 6454), as the CSRF check
/// compares them: all three parts must be equal.
///
/// Parsing is strict, because an `Origin` header that is not exactly one
/// origin is not evidence of anything:
/// - the scheme is `http` or `https` (any case); other schemes are refused;
/// - the host is a DNS name (letters, digits, `-`, `_`, non-empty labels,
///   no trailing dot), an IPv4 address or a bracketed IPv6 literal; it is
///   lower-cased;
/// - the port, when present, is 1–65535; the scheme's default port is the
///   same origin as no port (`https://a.example:443` is `https://a.example`);
/// - userinfo (`user@`), a path (even a lone `/`), a query, a fragment,
///   percent-escapes, whitespace, `null` and the empty string are refused.
///
/// ```swift
/// CSRFOrigin("https://example.org")                 // scheme https, host example.org, port 443
/// CSRFOrigin("https://example.org.attacker.com")    // a different host: never equal to the above
/// CSRFOrigin("null")                                // nil
/// ```
public struct CSRFOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// The lower-cased host; an IPv6 literal keeps its brackets (`[::1]`).
    public let host: String
    /// The effective port: the explicit one, else 80 for `http`, 443 for `https`.
    public let port: Int

    /// The longest text the parser looks at; longer input is not an origin.
    static let maximumLength = 1024

    /// Parses a serialized origin such as the value of an `Origin` header.
    /// Returns `nil` for anything that is not exactly one origin.
    public init?(_ serialized: String) {
        let bytes = Array(serialized.utf8)
        guard bytes.count <= Self.maximumLength,
              let separator = Self.find(Array("://".utf8), in: bytes) else { return nil }
        guard let scheme = Self.scheme(bytes[..<separator]),
              let (host, port) = Self.authority(bytes[(separator + 3)...]) else { return nil }
        self.init(checkedScheme: scheme, host: host, port: port)
    }

    /// An origin from its parts, validated like a parsed one.
    /// - Parameters:
    ///   - scheme: `http` or `https`, any case.
    ///   - host: a DNS name, an IPv4 address or a bracketed IPv6 literal.
    ///   - port: `nil` for the scheme's default port.
    public init?(scheme: String, host: String, port: Int? = nil) {
        guard let scheme = Self.scheme(Array(scheme.utf8)[...]),
              let host = Self.host(Array(host.utf8)[...]) else { return nil }
        if let port, !(1...65_535).contains(port) { return nil }
        self.init(checkedScheme: scheme, host: host, port: port)
    }

    /// The server's own origin from a `Host` header (`example.org:8443`) and
    /// whether the request arrived over TLS.
    ///
    /// Behind a TLS-terminating proxy, pass the scheme the *browser* used
    /// (from a trusted `X-Forwarded-Proto`, say), or configure the origin
    /// instead: an `https` page posting to a server that believes it is
    /// `http` fails the origin comparison.
    public init?(hostHeader: String, isSecure: Bool) {
        let bytes = Array(hostHeader.utf8)
        guard bytes.count <= Self.maximumLength, let (host, port) = Self.authority(bytes[...]) else { return nil }
        self.init(checkedScheme: isSecure ? "https" : "http", host: host, port: port)
    }

    private init(checkedScheme scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? Self.defaultPort(of: scheme)
    }

    /// The serialized origin, without the default port: `https://example.org`.
    public var description: String {
        port == Self.defaultPort(of: scheme) ? "\(scheme)://\(host)" : "\(scheme)://\(host):\(port)"
    }

    /// Whether the host is a DNS name (not an IP address literal).
    var isDomainName: Bool {
        !host.hasPrefix("[") && !host.utf8.split(separator: UInt8(ascii: ".")).allSatisfy {
            $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
    }

    static func defaultPort(of scheme: String) -> Int { scheme == "https" ? 443 : 80 }

    // MARK: - Parsing

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    static func scheme(_ bytes: ArraySlice<UInt8>) -> String? {
        let lowered = String(decoding: bytes.map(lowercase), as: UTF8.self)
        return lowered == "http" || lowered == "https" ? lowered : nil
    }

    /// `host[:port]`, nothing before or after.
    static func authority(_ bytes: ArraySlice<UInt8>) -> (host: String, port: Int?)? {
        guard !bytes.isEmpty else { return nil }
        let hostEnd: Int
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
        }
        guard let host = host(bytes[bytes.startIndex..<hostEnd]) else { return nil }
        if hostEnd == bytes.endIndex { return (host, nil) }
        guard bytes[hostEnd] == UInt8(ascii: ":"), let port = port(bytes[(hostEnd + 1)...]) else { return nil }
        return (host, port)
    }

    static func port(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard (1...5).contains(bytes.count), bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let value = bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (1...65_535).contains(value) ? value : nil
    }

    /// A lower-cased DNS name or IPv4 address, or a bracketed IPv6 literal.
    static func host(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.count <= 255 else { return nil }
        if bytes.first == UInt8(ascii: "[") {
            let inner = bytes.dropFirst().dropLast()
            guard bytes.last == UInt8(ascii: "]"), inner.count >= 2, inner.contains(UInt8(ascii: ":")),
                  inner.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
            return String(decoding: bytes.map(lowercase), as: UTF8.self)
        }
        guard bytes.count <= 253 else { return nil }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.count),
                  label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
            else { return nil }
        }
        return String(decoding: bytes.map(lowercase), as: UTF8.self)
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercase(byte)) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(lowercase(byte)) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
