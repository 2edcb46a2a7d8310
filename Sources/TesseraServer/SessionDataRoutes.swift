import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Tessera
import TesseraHummingbird

/// `GET` and `PATCH /api/session/data`: a JSON object of application data
/// kept with the signed-in session, for the apps behind the server.
///
/// Each member is stored as a session value of its own, named `app.KEY`,
/// so requests that change different keys of one session at the same time
/// all keep their change: the session store's compare-and-set re-reads the
/// session and re-applies each request's keys when two saves race. When
/// two requests change the same key, the last save wins.
///
/// Only a signed-in session (the cookie) has data: bearer tokens and API
/// keys get 401, like `GET /api/session`. A `PATCH` is an unsafe cookie
/// request, so ``CSRFMiddleware`` wants the session's `X-CSRF-Token`.
struct SessionDataRoutes: Sendable {
    /// What one session may hold. The key count and the total are checked
    /// against the session as this request loaded it; requests racing on
    /// one session can together pass them by what each adds.
    enum Limits {
        /// Characters in a key.
        static let keyLength = 1...64
        /// Keys in one session.
        static let keys = 128
        /// Bytes of one value's compact JSON.
        static let valueBytes = 4_096
        /// Bytes of all keys and values of one session.
        static let totalBytes = 65_536
        /// Bytes of a `PATCH` body.
        static let bodyBytes = 131_072
    }

    /// The session-value name prefix that keeps app keys apart from Tessera's own.
    static let keyPrefix = "app."

    /// Compact JSON in the order the client sent, raw UTF-8.
    private static let writer = JSONWriter(sortKeys: false, ensureASCII: false)

    func register(on api: RouterGroup<ServerRequestContext>) {
        api.get("session/data", use: read)
        api.patch("session/data", use: merge)
    }

    @Sendable func read(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let session = try Self.signedInSession(context)
        return Self.answer(Self.stored(in: session.snapshot, logger: context.logger))
    }

    @Sendable func merge(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let session = try Self.signedInSession(context)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Limits.bodyBytes)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(status: .contentTooLarge, code: "session_data.too_large",
                                 detail: "A session data change is at most \(Limits.bodyBytes) bytes of JSON.")
        }
        let changes = try Self.changes(in: body.readableBytesView)
        let logger = context.logger
        let merged = try session.withSession { (current: inout Session) throws(ProblemDetails) -> [String: String] in
            var data = Self.stored(in: current, logger: logger)
            for (key, text) in changes { data[key] = text }
            try Self.checkLimits(of: data)
            do {
                for (key, text) in changes {
                    let name = SessionKey<String>(Self.keyPrefix + key)
                    if let text { try current.set(name, text) } else { current.remove(name) }
                }
            } catch {
                // Encoding a String as JSON can't fail.
                throw ProblemDetails(status: .internalServerError, code: "session_data.unstorable",
                                     detail: "The session data could not be stored.")
            }
            return data
        }
        return Self.answer(merged)
    }

    /// The session of the request, signed in through its cookie; 503 when
    /// the store could not load it, 401 without a signed-in session.
    static func signedInSession(_ context: ServerRequestContext) throws -> RequestSession {
        let session = try context.requireSession()
        guard session.isAuthenticated, context.identity?.method == .session else { throw SessionRoutes.noSession }
        return session
    }

    /// The app keys of `session` (prefix removed) and their JSON text.
    static func stored(in session: Session, logger: Logger) -> [String: String] {
        var data: [String: String] = [:]
        for name in session.keys where name.hasPrefix(keyPrefix) {
            let key = String(name.dropFirst(keyPrefix.count))
            // Only this route writes `app.` keys; anything else is skipped, never echoed.
            guard let text = try? session.get(SessionKey<String>(name)) else {
                logger.error("session data value is not JSON text; skipped", metadata: ["tessera.key": "\(key)"])
                continue
            }
            data[key] = text
        }
        return data
    }

    /// The members of a `PATCH` body: each key with its compact JSON, or
    /// `nil` (a JSON `null`) to remove it.
    static func changes(in body: some Collection<UInt8>) throws(ProblemDetails) -> [(key: String, text: String?)] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body, rejectingDuplicateMembers: true)
        } catch .duplicateMember {
            throw badRequest("session_data.duplicate_key", "A key appears twice in the object.")
        } catch {
            throw badRequest("session_data.not_an_object", "Send a JSON object of keys to set; a null value removes its key.")
        }
        guard case .object(let members) = document else {
            throw badRequest("session_data.not_an_object", "Send a JSON object of keys to set; a null value removes its key.")
        }
        guard members.count <= Limits.keys else {
            throw badRequest("session_data.too_many_keys", "A session keeps at most \(Limits.keys) keys of data.")
        }
        return try members.map { member throws(ProblemDetails) -> (key: String, text: String?) in
            let (key, value) = member
            guard isKey(key) else {
                throw badRequest("session_data.bad_key", "Each key is 1 to \(Limits.keyLength.upperBound) of the characters A-Z a-z 0-9 . _ -.")
            }
            if value == .null { return (key, nil) }
            let text = writer.string(value)
            guard text.utf8.count <= Limits.valueBytes else {
                throw badRequest("session_data.value_too_large",
                                 "The value of \"\(key)\" is \(text.utf8.count) bytes of JSON; a value is at most \(Limits.valueBytes).")
            }
            return (key, text)
        }
    }

    /// 400 unless `data` fits one session.
    static func checkLimits(of data: [String: String]) throws(ProblemDetails) {
        guard data.count <= Limits.keys else {
            throw badRequest("session_data.too_many_keys",
                             "A session keeps at most \(Limits.keys) keys of data; this change would make \(data.count).")
        }
        let total = data.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard total <= Limits.totalBytes else {
            throw badRequest("session_data.too_large",
                             "A session keeps at most \(Limits.totalBytes) bytes of keys and values; this change would make \(total).")
        }
    }

    /// 1 to 64 of `A-Z a-z 0-9 . _ -`.
    static func isKey(_ key: String) -> Bool {
        Limits.keyLength.contains(key.utf8.count) && key.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// 200 `{"data":{…}}`, keys sorted, values as stored (this route
    /// wrote them with ``JSONWriter``, so each parses).
    static func answer(_ data: [String: String]) -> Response {
        var members: [(String, JSONValue)] = []
        for key in data.keys.sorted() {
            if let text = data[key], let value = try? JSONParser.parse(text) { members.append((key, value)) }
        }
        let bytes = writer.bytes(.object([("data", .object(members))]))
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func badRequest(_ code: String, _ detail: String) -> ProblemDetails {
        ProblemDetails(status: .badRequest, code: code, detail: detail)
    }
}
