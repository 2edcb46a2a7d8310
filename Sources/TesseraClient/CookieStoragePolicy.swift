import Foundation
import Tessera

/// The storage model of RFC 6265bis §5.7: turns a parsed `Set-Cookie` into the
/// record a jar keeps, or says why the jar must ignore it.
///
/// Choices where the RFCs leave room:
/// - An IP-address host may name itself as `Domain`; the cookie is then host-only
///   (as Chromium does). Any other `Domain` on an IP host is refused.
/// - Loopback hosts count as secure origins, as in browsers, so a local
///   development server can set `Secure` cookies over plain http.
/// - `SameSite` is stored, but a command-line client has no "site for cookies":
///   every request is treated as same-site and top-level. `SameSite=None`
///   still needs `Secure`.
struct CookieStoragePolicy {
    /// The longest lifetime a cookie may ask for: 400 days.
    static let maximumAge: TimeInterval = 400 * 86_400

    let publicSuffixes: PublicSuffixList

    /// The record to store for `received`, set by a response from `url` at `now`.
    /// `existingSecure` answers whether a `Secure` cookie that this one would shadow is already stored.
    func record(for received: ReceivedSetCookie, from url: CookieURL, now: Date,
                shadowsSecureCookie: (JarCookie) -> Bool) -> Result<JarCookie, CookieRejection> {
        let name = received.name
        var cookie = JarCookie(name: name, value: received.value, domain: url.host, created: now)

        if var domain = received.domain {
            if url.hostIsIPAddress {
                guard domain == url.host || "[\(domain)]" == url.host else { return .failure(.domainMismatch(name: name)) }
                domain = url.host
            } else {
                guard let ascii = HostASCII.toASCII(domain), !ascii.isEmpty else { return .failure(.domainMismatch(name: name)) }
                domain = ascii
            }
            if domain != url.host, publicSuffixes.isPublicSuffix(domain) { return .failure(.publicSuffixDomain(name: name)) }
            if domain == url.host && (url.hostIsIPAddress || publicSuffixes.isPublicSuffix(domain)) {
                cookie.hostOnly = true
            } else {
                guard CookieMatching.domain(url.host, matches: domain, hostIsIPAddress: url.hostIsIPAddress) else {
                    return .failure(.domainMismatch(name: name))
                }
                cookie.hostOnly = false
                cookie.domain = domain
            }
        }

        if let maxAge = received.maxAge {
            cookie.expires = maxAge <= 0 ? .distantPast : now.addingTimeInterval(min(TimeInterval(maxAge), Self.maximumAge))
        } else if let expires = received.expires {
            cookie.expires = min(expires, now.addingTimeInterval(Self.maximumAge))
        }
        cookie.path = received.path ?? url.defaultCookiePath
        cookie.secure = received.secure
        cookie.httpOnly = received.httpOnly
        cookie.sameSite = received.sameSite

        if cookie.secure && !url.isSecure { return .failure(.secureFromInsecureOrigin(name: name)) }
        if !cookie.secure && !url.isSecure && shadowsSecureCookie(cookie) { return .failure(.wouldShadowSecureCookie(name: name)) }
        if cookie.sameSite == SameSite.none && !cookie.secure { return .failure(.sameSiteNoneWithoutSecure(name: name)) }
        if let rule = prefixViolation(of: cookie, received: received) { return .failure(.prefixViolation(name: name, rule: rule)) }
        return .success(cookie)
    }

    /// The `__Secure-` and `__Host-` rules (§4.1.3), matched case-insensitively,
    /// also for a nameless cookie whose value starts with a prefix. `__Host-` needs
    /// an explicit `Path=/` attribute (§5.7), a default path of `/` is not enough,
    /// and no `Domain` attribute at all, not even one naming an IP host itself.
    private func prefixViolation(of cookie: JarCookie, received: ReceivedSetCookie) -> String? {
        if cookie.name.isEmpty {
            return CookiePrefix(name: cookie.value) == nil ? nil : "a nameless cookie's value may not start with __Secure- or __Host-"
        }
        switch CookiePrefix(name: cookie.name) {
        case .secure?:
            return cookie.secure ? nil : "__Secure- needs Secure"
        case .host?:
            if !cookie.secure { return "__Host- needs Secure" }
            if !cookie.hostOnly || received.domain != nil { return "__Host- may not have a Domain" }
            if received.path != "/" { return "__Host- needs Path=/" }
            return nil
        case nil:
            return nil
        }
    }

    /// "Leave Secure Cookies Alone" (§5.7 step 11): an insecure origin may not
    /// set a cookie that would shadow a stored `Secure` one of the same name.
    static func shadows(_ new: JarCookie, _ existing: JarCookie) -> Bool {
        guard existing.secure, existing.name == new.name else { return false }
        let domainsOverlap = CookieMatching.domain(existing.domain, matches: new.domain, hostIsIPAddress: false)
            || CookieMatching.domain(new.domain, matches: existing.domain, hostIsIPAddress: false)
        return domainsOverlap && CookieMatching.path(new.path, matches: existing.path)
    }
}
