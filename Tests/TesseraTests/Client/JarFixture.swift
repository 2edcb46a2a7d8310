import Foundation
import Testing
import Tessera
@testable import TesseraClient

/// What the cookie-jar tests share: a fixed clock, a jar whose public-suffix
/// list does not depend on the machine, and short ways to store and look.
enum JarFixture {
    /// 2023-11-14 22:13:20 UTC.
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    /// 400 days, the longest lifetime RFC 6265bis lets a cookie ask for.
    static let fourHundredDays: TimeInterval = 400 * 86_400

    /// An empty jar with the built-in public-suffix list.
    static func jar(limits: CookieJar.Limits = CookieJar.Limits()) -> CookieJar {
        CookieJar(publicSuffixes: .builtIn, limits: limits)
    }

    static func url(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CookieURL {
        try #require(CookieURL(text), "\(text) should be a cookie URL", sourceLocation: sourceLocation)
    }
}

extension CookieJar {
    /// Stores a header received from `url` at ``JarFixture/now``.
    @discardableResult
    func store(_ header: String, from url: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CookieStoreOutcome {
        store(setCookie: header, from: try JarFixture.url(url, sourceLocation: sourceLocation), now: JarFixture.now)
    }

    /// The `Cookie` header the jar sends to `url` at ``JarFixture/now``.
    func header(for url: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        cookieHeader(for: try JarFixture.url(url, sourceLocation: sourceLocation), now: JarFixture.now)
    }

    /// The one unexpired cookie called `name`, if exactly one is stored.
    func only(_ name: String) -> JarCookie? {
        let found = allCookies(now: JarFixture.now).filter { $0.name == name }
        return found.count == 1 ? found[0] : nil
    }
}

extension CookieStoreOutcome {
    /// The stored record, or `nil` when the jar did not store one.
    var stored: JarCookie? {
        if case .stored(let cookie) = self { return cookie }
        return nil
    }
}
