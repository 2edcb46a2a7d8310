/// The cookie name prefixes of RFC 6265bis §4.1.3, matched case-insensitively
/// as current browsers do.
public enum CookiePrefix: Sendable, Hashable {
    /// `__Secure-`: the cookie must be `Secure`.
    case secure
    /// `__Host-`: `Secure`, no `Domain`, `Path=/`; bound to one host.
    case host

    /// The prefix a cookie name carries, if any.
    public init?(name: String) {
        let lowered = name.utf8.prefix(9).map { $0 | ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0) }
        if lowered.starts(with: "__secure-".utf8) {
            self = .secure
        } else if lowered.starts(with: "__host-".utf8) {
            self = .host
        } else {
            return nil
        }
    }
}
