import Foundation
import NIOCore
import NIOHTTP1
import TesseraClient

/// Runs a client command: loads the jar, sends requests through an
/// ``AuthenticatedHTTPClient`` that echoes CSRF tokens (framework cookies, or
/// Tessera's `GET /api/session`), then saves the jar, merged with whatever
/// another `tessera` process saved meanwhile. Session cookies are kept: the
/// jar file is this client's session, which lasts until `tessera logout`.
enum ClientContext {
    static func run<T>(_ options: ClientOptions, _ body: (AuthenticatedHTTPClient) async throws -> T) async throws -> T {
        let file = options.jarFile
        let jar = try file.load()
        let client = AuthenticatedHTTPClient(jar: jar, csrf: CSRFEcho(endpoint: .tessera))
        let result: Result<T, any Error>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        try file.save(jar, keepingSessionCookies: true)
        return try result.get()
    }

    /// `base` + `path`, where `base` is a server's URL with or without a trailing slash.
    static func endpoint(_ base: String, _ path: String) throws -> String {
        guard CookieURL(base) != nil else { throw CommandFailure("\(base) is not an http or https URL") }
        var trimmed = Substring(base)
        if let query = trimmed.firstIndex(where: { $0 == "?" || $0 == "#" }) { trimmed = trimmed[..<query] }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.hasSuffix(path) ? String(trimmed) : trimmed + path
    }

    /// A JSON request body.
    static func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// The `detail` of a problem document, or a status line.
    static func explanation(of response: ClientResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any],
           let detail = object["detail"] as? String {
            return "\(response.status.code) \(response.status.reasonPhrase): \(detail)"
        }
        return "\(response.status.code) \(response.status.reasonPhrase)"
    }

    /// A top-level string field of a JSON body.
    static func field(_ name: String, of response: ClientResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?[name] as? String
    }
}
