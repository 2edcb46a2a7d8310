import Foundation
import TesseraClient

/// The `cookies.txt` reader.
enum CookiesTxtFuzzing {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let first = NetscapeCookieFormat.parse(text, now: now)
        // Writing what was read and reading it again changes nothing more.
        let written = NetscapeCookieFormat.render(first.cookies, keepingSessionCookies: true)
        let second = NetscapeCookieFormat.parse(written, now: now)
        FuzzCheck.require(second.skippedLines == 0, "every written line reads back")
        FuzzCheck.require(second.cookies.map(NetscapeCookieFormat.line(for:)) == first.cookies.map(NetscapeCookieFormat.line(for:)),
                          "a written jar reads back the same cookies")
    }
}
