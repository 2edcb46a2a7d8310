import Foundation
import NIOCore
import NIOHTTP1
import TesseraClient

/// Logs in through a site's HTML login form: fetch the page (keeping the
/// cookies it sets), find the form with a password field, fill in the user
/// name and password, keep every hidden input, submit it, and judge the
/// result: an error status, or the same login form shown again (same action,
/// same user name field), means it failed.
struct FormLogin {
    let client: AuthenticatedHTTPClient
    let pageURL: String
    /// `NAME=VALUE` overrides from the command line.
    let fields: [String]
    let userField: String?

    func logIn(user: String, password: String) async throws -> String {
        let page = try await client.send(ClientRequest(url: pageURL, headers: ["Accept": "text/html"]))
        guard page.isSuccess else { throw CommandFailure("could not load the login page: \(page.status.code) \(page.status.reasonPhrase)") }
        guard var form = HTMLForm.forms(in: page.text).first(where: \.hasPasswordField) else {
            throw CommandFailure("no login form (a form with a password field) on \(redacted(page.url))")
        }
        guard let usernameField = userField ?? form.usernameFieldName else {
            throw CommandFailure("cannot tell which field takes the user name; name it with --user-field")
        }
        form.set(usernameField, to: user)
        if let passwordField = form.fields.first(where: { $0.type == "password" })?.name { form.set(passwordField, to: password) }
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            form.set(String(parts[0]), to: String(parts[1]))
        }
        guard let base = URL(string: page.url), let target = URL(string: form.action ?? "", relativeTo: base)?.absoluteURL,
              CookieURL(target.absoluteString) != nil else {
            throw CommandFailure("the login form posts to a URL that is not http or https")
        }
        if CookieURL(page.url)?.isHTTPS == true, CookieURL(target.absoluteString)?.isHTTPS == false {
            throw CommandFailure("the login form on an https page posts to plain http; refusing to send the password")
        }
        if let to = CookieURL(target.absoluteString), !to.isSecure {
            printError("warning: sending the password to \(to.host) over plain http")
        }
        let request: ClientRequest
        if form.method == "POST" {
            request = ClientRequest(method: .POST, url: target.absoluteString,
                                    headers: ["Content-Type": "application/x-www-form-urlencoded", "Referer": page.url, "Origin": origin(of: page.url)],
                                    body: ByteBuffer(string: form.urlEncoded))
        } else {
            throw CommandFailure("the login form uses GET, which would put the password in the URL; refusing")
        }
        let result = try await client.send(request)
        guard result.isSuccess else { throw CommandFailure("login failed: \(result.status.code) \(result.status.reasonPhrase)") }
        let shownAgain = HTMLForm.forms(in: result.text).contains { other in
            other.hasPasswordField && other.value(of: usernameField) != nil
                && URL(string: result.url).flatMap { URL(string: other.action ?? "", relativeTo: $0)?.absoluteURL } == target
        }
        if shownAgain {
            throw CommandFailure("login failed: the site showed its login form again (wrong user name or password?)")
        }
        return "logged in to \(CookieURL(result.url)?.host ?? "the site") as \(user)"
    }

    private func origin(of url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return "null" }
        return parsed.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    private func redacted(_ url: String) -> String {
        CookieURL(url).map { "\($0.isHTTPS ? "https" : "http")://\($0.host)\($0.path)" } ?? "the page"
    }
}
