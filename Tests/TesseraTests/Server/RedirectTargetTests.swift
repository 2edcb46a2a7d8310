import Foundation
import Testing
@testable import TesseraServer

struct RedirectTargetTests {
    @Test("No open redirect (ASVS 5.0 §3.7, not a checklist row): /login?rd= returns only to this server, the cookie domain or allowed hosts")
    func onlyKnownTargets() throws {
        var configuration = ServerConfiguration()
        configuration.publicURL = URL(string: "https://auth.example.com")
        configuration.cookieDomain = "example.com"
        configuration.allowedRedirectHosts = ["partner.test"]
        let target = RedirectTarget(configuration: configuration)
        for kept in ["/account", "/account?x=1", "https://auth.example.com/x", "https://app.example.com/a?b=c",
                     "https://example.com/", "https://partner.test/welcome"] {
            #expect(target.resolve(kept) == kept, "\(kept)")
        }
        for refused in [nil, "", "//evil.example/", "/\\evil.example", "https://evil.example/", "https://example.com.evil.example/",
                        "https://evilexample.com/", "javascript:alert(1)", "http://app.example.com/ (downgrade)", "http://app.example.com/",
                        "https://user:pw@app.example.com/", "/a\r\nSet-Cookie: x=1", "data:text/html,hi"] {
            #expect(target.resolve(refused) == RedirectTarget.fallback, "\(refused ?? "nil")")
        }
    }
}
