import HTTPTypes
import Hummingbird
import TesseraHummingbird

/// Behind nginx every request comes from nginx: without this, every
/// session would show the proxy's address, and login throttling by
/// address would count every user's failures as one client's (letting
/// anyone lock everyone out). For a peer listed in `--trusted-proxy`, the
/// client is the rightmost `X-Forwarded-For` entry that is not itself a
/// trusted proxy; entries left of it were written by the client and are
/// never believed. Requests from any other peer keep the peer's address.
struct TrustedProxyAddress: RouterMiddleware {
    typealias Context = ServerRequestContext

    let trustedProxies: Set<String>

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = context.remoteAddress?.ipAddress, trustedProxies.contains(peer) else {
            return try await next(request, context)
        }
        var context = context
        context.tessera.clientAddress = Self.clientAddress(
            peer: peer, forwardedFor: request.headers[values: Self.forwardedFor], trusted: trustedProxies)
        return try await next(request, context)
    }

    /// The rightmost address of the `X-Forwarded-For` chain not in
    /// `trusted`, or `peer` when the chain has none (or is malformed).
    static func clientAddress(peer: String, forwardedFor fields: [String], trusted: Set<String>) -> String {
        let chain = fields.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in chain.reversed() {
            guard isAddress(entry) else { return peer }
            if !trusted.contains(entry) { return entry }
        }
        return peer
    }

    /// An IPv4 or IPv6 literal: digits, hex, `.` and `:` only, at most 45 characters.
    static func isAddress(_ text: String) -> Bool {
        (2...45).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte) || byte == 0x2E || byte == 0x3A
        } && (text.contains(".") || text.contains(":"))
    }
}
