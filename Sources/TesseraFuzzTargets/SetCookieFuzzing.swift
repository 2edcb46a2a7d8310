import Foundation
import TesseraClient

/// The client jar receiving one `Set-Cookie` line.
enum SetCookieFuzzing {
    static let origins = [CookieURL("https://www.example.com/app/page")!, CookieURL("http://localhost:8080/")!]
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func run(_ input: [UInt8]) {
        let line = String(decoding: input, as: UTF8.self)
        for origin in origins {
            let jar = CookieJar()
            guard case .stored(let cookie) = jar.store(setCookie: line, from: origin, now: now) else { continue }
            FuzzCheck.require(cookie.name.utf8.count + cookie.value.utf8.count <= 4096, "name and value fit in 4096 bytes")
            FuzzCheck.require(!(cookie.name + cookie.value).unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                              "no control character is stored")
            FuzzCheck.require(cookie.path.utf8.first == UInt8(ascii: "/"), "the path starts with /")
            if cookie.hostOnly {
                FuzzCheck.require(cookie.domain == origin.host, "a host-only cookie belongs to the origin host")
            } else {
                FuzzCheck.require(origin.host == cookie.domain || origin.host.hasSuffix("." + cookie.domain),
                                  "a domain cookie's domain matches the origin host")
                FuzzCheck.require(cookie.domain != "com", "no cookie for a public suffix")
            }
            if let expires = cookie.expires {
                FuzzCheck.require(expires.timeIntervalSince(now) <= 400 * 86_400 + 1, "expiry is capped at 400 days")
            }
            // What the jar holds survives cookies.txt: written, it reads back.
            let line = NetscapeCookieFormat.line(for: cookie)
            let reread = NetscapeCookieFormat.parse(line, now: now).cookies
            FuzzCheck.require(reread.map(NetscapeCookieFormat.line(for:)) == [line], "a stored cookie reads back from cookies.txt")
            // What the jar sends back is one header a server can read.
            let header = jar.cookieHeader(for: origin, now: now)
            FuzzCheck.require(header.map { !$0.contains("\r") && !$0.contains("\n") } ?? true, "the Cookie header has no line break")
        }
    }
}
