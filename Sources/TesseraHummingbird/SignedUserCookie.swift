public import Foundation
public import Tessera

/// A cookie that names the signed-in user and proves it with a signature:
/// Tornado's `current_user` pattern, with no session store at all.
///
/// The value is `user ID + issue time + key id + HMAC`, bound to the
/// cookie's name, so a visitor who edits `tessera_user=dave` gets a bad
/// signature, not Dave's account. The server keeps nothing per user: it
/// scales to any number of users and app servers that share the key ring.
/// The price is revocation: a copied cookie stays good until `maxAge`
/// runs out or its signing key leaves the ring, so keep `maxAge` short or
/// use server-side sessions where "log out everywhere" must bite at once.
///
/// ```swift
/// let userCookie = SignedUserCookie(ring: ring)
/// response.setCookie(try userCookie.setCookie(userID: "u42"))   // after checking the password
/// router.add(middleware: SignedCookieAuthenticator(cookie: userCookie))
/// ```
public struct SignedUserCookie: Sendable {
    /// The default cookie name.
    public static let defaultName = "tessera_user"

    /// The signer (purpose `tessera.user-cookie`, separate from every other key use).
    public let codec: SignedValueCodec
    /// The cookie's name; the signature covers it.
    public var name: String
    /// How long a signed cookie is accepted after it was issued.
    public var maxAge: TimeInterval
    /// The `Domain` attribute, to share the login with subdomains.
    public var domain: String?
    /// Whether the cookie is `Secure` (keep it, except on plain-HTTP test servers).
    public var secure: Bool
    /// The `SameSite` attribute.
    public var sameSite: SameSite

    /// A user cookie signed with `ring`.
    public init(ring: KeyRing, name: String = SignedUserCookie.defaultName, maxAge: TimeInterval = 7 * 86_400,
                domain: String? = nil, secure: Bool = true, sameSite: SameSite = .lax) {
        self.codec = SignedValueCodec(ring: ring, purpose: KeyPurpose("tessera.user-cookie"))
        self.name = name
        self.maxAge = maxAge
        self.domain = domain
        self.secure = secure
        self.sameSite = sameSite
    }

    /// The `Set-Cookie` that signs `userID` in.
    /// - Throws: ``KeyError`` when the ring has no key that may sign now.
    public func setCookie(userID: String, now: Date = Date()) throws(KeyError) -> SetCookie {
        SetCookie(name: name, value: try codec.sign(userID, name: name, now: now), domain: domain,
                  maxAge: Int(maxAge), secure: secure, httpOnly: true, sameSite: sameSite)
    }

    /// The `Set-Cookie` that signs the user out on this browser.
    public func clearingCookie() -> SetCookie {
        SetCookie(name: name, value: "", domain: domain, secure: secure, httpOnly: true, sameSite: sameSite).deletion()
    }

    /// Checks the request's cookie of this name.
    public func verify(_ cookies: RequestCookies, now: Date = Date()) -> Verdict<String>? {
        guard let value = cookies.first(named: name) else { return nil }
        return codec.verifyString(value, name: name, maxAge: maxAge, now: now)
    }
}
