import Foundation

/// Where `/login?rd=…` may send a user after signing in: a local path, or
/// an absolute http(s) URL on this server's host, the cookie domain (or a
/// subdomain of it) or an allowed host. Anything else, `//evil.example`
/// and `/\evil.example` included, falls back to `/account`: no open
/// redirect.
struct RedirectTarget: Sendable {
    let configuration: ServerConfiguration

    static let fallback = "/account"

    /// `candidate` if it is safe to redirect to, else ``fallback``.
    func resolve(_ candidate: String?) -> String {
        guard let candidate, !candidate.isEmpty, candidate.utf8.count <= 2048,
              !candidate.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) else { return Self.fallback }
        if candidate.hasPrefix("/") {
            return candidate.hasPrefix("//") ? Self.fallback : candidate
        }
        guard let url = URL(string: candidate), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.user == nil, url.password == nil, let host = url.host?.lowercased(), isAllowed(host) else { return Self.fallback }
        if configuration.isSecure && scheme == "http" { return Self.fallback }
        return candidate
    }

    private func isAllowed(_ host: String) -> Bool {
        if host == configuration.resolvedPublicURL.host?.lowercased() { return true }
        if configuration.allowedRedirectHosts.contains(host) { return true }
        if let domain = configuration.cookieDomain, host == domain || host.hasSuffix("." + domain) { return true }
        return false
    }
}
