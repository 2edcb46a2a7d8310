import Foundation
import Tessera

/// The `cookies.txt` format of Netscape, curl (`-b`/`-c`) and wget: one cookie
/// per line, seven tab-separated columns.
///
/// ```
/// #HttpOnly_.example.com	TRUE	/	TRUE	1767225600	sid	abc
/// ```
///
/// The columns are the domain (a leading `.` for a domain cookie), whether
/// subdomains are included (`TRUE`/`FALSE`), the path, whether the cookie is
/// `Secure`, the expiry in Unix seconds (`0` for a session cookie), the name
/// and the value. A `#HttpOnly_` prefix marks an `HttpOnly` cookie; other lines
/// starting with `#` are comments. `SameSite` has no column and is not kept.
public enum NetscapeCookieFormat {
    /// The first lines of a file this module writes.
    public static let header = """
    # Netscape HTTP Cookie File
    # https://curl.se/docs/http-cookies.html
    # Written by tessera. Holds live logins: keep it private (mode 0600).


    """

    /// The result of reading a file: the cookies in file order, and how many
    /// lines were neither cookies nor comments.
    public struct Contents: Sendable {
        /// The cookies that are well formed and not expired, in file order.
        public var cookies: [JarCookie]
        /// Lines that could not be read as cookies (skipped, never fatal).
        public var skippedLines: Int
    }

    /// Reads the text of a `cookies.txt` file. Malformed lines, expired cookies
    /// and records that break the cookie rules (control characters, a `__Host-`
    /// cookie with a domain, …) are skipped.
    public static func parse(_ text: String, now: Date = Date()) -> Contents {
        var contents = Contents(cookies: [], skippedLines: 0)
        // "\r\n" is one Character, so files with Windows line ends split on it too.
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = rawLine
            var httpOnly = false
            if line.hasPrefix("#HttpOnly_") {
                line = line.dropFirst("#HttpOnly_".count)
                httpOnly = true
            } else if line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                continue
            }
            switch cookie(fromLine: line, httpOnly: httpOnly, now: now) {
            case .some(.some(let cookie)): contents.cookies.append(cookie)
            case .some(.none): break  // expired
            case .none: contents.skippedLines += 1
            }
        }
        return contents
    }

    /// `nil` for a malformed line, `.some(nil)` for an expired cookie.
    private static func cookie(fromLine line: Substring, httpOnly: Bool, now: Date) -> JarCookie?? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 7 || fields.count == 6 else { return nil }
        var domainField = fields[0]
        if domainField.hasPrefix(".") { domainField = domainField.dropFirst() }
        guard !domainField.isEmpty else { return nil }
        let domain: String
        if domainField.hasPrefix("[") {
            domain = domainField.lowercased()
        } else {
            // No empty label: "..com" would load as ".com" and be written back as "com".
            guard let ascii = HostASCII.toASCII(domainField), !ascii.isEmpty,
                  !ascii.hasPrefix("."), !ascii.contains("..") else { return nil }
            domain = ascii
        }
        guard let includeSubdomains = flag(fields[1]), let secure = flag(fields[3]) else { return nil }
        let path = String(fields[2])
        // Bytes, not Characters: "/" followed by a combining mark is one
        // Character, which `hasPrefix("/")` would not match.
        guard path.utf8.first == UInt8(ascii: "/"), let rawExpiry = Int64(fields[4]) else { return nil }
        let expiry = min(rawExpiry, latestExpiry)
        let name = String(fields[5])
        let value = fields.count == 7 ? String(fields[6]) : ""
        // Bytes again: U+037E GREEK QUESTION MARK is canonically equivalent
        // to ";", so `contains(";")` would refuse a value the jar stored.
        guard !(name.isEmpty && value.isEmpty), name.utf8.count + value.utf8.count <= ReceivedSetCookie.maximumNameAndValueBytes,
              !(name + value + path).utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }),
              !name.utf8.contains(UInt8(ascii: ";")), !name.utf8.contains(UInt8(ascii: "=")),
              !value.utf8.contains(UInt8(ascii: ";")) else { return nil }
        let cookie = JarCookie(name: name, value: value, domain: domain, hostOnly: !includeSubdomains, path: path,
                               secure: secure, httpOnly: httpOnly, expires: expiry == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(expiry)),
                               created: now)
        if let prefix = CookiePrefix(name: name) {
            guard secure else { return nil }
            if prefix == .host, !cookie.hostOnly || path != "/" { return nil }
        }
        if cookie.isExpired(at: now) { return .some(nil) }
        return .some(cookie)
    }

    /// 9999-12-31T23:59:59Z: later expiries are read as this, so any record can be written back.
    static let latestExpiry: Int64 = 253_402_300_799

    private static func flag(_ field: Substring) -> Bool? {
        switch field.uppercased() {
        case "TRUE": true
        case "FALSE": false
        default: nil
        }
    }

    /// Writes cookies in the given order. Session cookies (no expiry) are kept,
    /// with expiry `0` as curl writes them, only when `keepingSessionCookies` is set.
    public static func render(_ cookies: [JarCookie], keepingSessionCookies: Bool) -> String {
        var text = header
        for cookie in cookies where cookie.isPersistent || keepingSessionCookies {
            text += line(for: cookie)
            text += "\n"
        }
        return text
    }

    /// One cookie's line, without the newline.
    public static func line(for cookie: JarCookie) -> String {
        let expiry = cookie.expires.map { date -> Int64 in
            let seconds = date.timeIntervalSince1970.rounded(.down)
            return seconds.isNaN ? 1 : Int64(max(1, min(seconds, Double(latestExpiry))))
        } ?? 0
        return [
            (cookie.httpOnly ? "#HttpOnly_" : "") + (cookie.hostOnly ? "" : ".") + cookie.domain,
            cookie.hostOnly ? "FALSE" : "TRUE",
            cookie.path,
            cookie.secure ? "TRUE" : "FALSE",
            String(expiry),
            cookie.name,
            cookie.value,
        ].joined(separator: "\t")
    }
}
