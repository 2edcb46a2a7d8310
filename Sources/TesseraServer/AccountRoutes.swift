import Foundation
import HTTPTypes
import Hummingbird
import Tessera
import TesseraHummingbird

/// `/api/sessions`, `/api/keys` and `/api/password`: a signed-in user's
/// own sessions, API keys and password.
struct AccountRoutes: Sendable {
    let services: ServerServices

    struct SessionItem: Encodable {
        let handle: String, createdAt: String, lastSeenAt: String, ip: String?, userAgent: String?, current: Bool
    }
    struct SessionList: ResponseEncodable { let sessions: [SessionItem] }
    struct Revoked: ResponseEncodable { let revoked: Int }

    struct NewKey: Decodable { let name: String; let scopes: [String]?; let expiresInDays: Int? }
    struct CreatedKey: ResponseEncodable { let id: String, key: String, name: String, scopes: [String], expiresAt: String? }
    struct KeyItem: Encodable { let id: String, name: String, scopes: [String], createdAt: String, expiresAt: String?, lastUsedAt: String? }
    struct KeyList: ResponseEncodable { let keys: [KeyItem] }

    struct PasswordChange: Decodable { let current: String; let new: String; let logoutOthers: Bool? }

    func register(on api: RouterGroup<ServerRequestContext>) {
        api.get("sessions", use: listSessions)
        api.delete("sessions", use: revokeOtherSessions)
        api.delete("sessions/:handle", use: revokeSession)
        api.post("keys", use: createKey)
        api.get("keys", use: listKeys)
        api.delete("keys/:id", use: revokeKey)
        api.post("password", use: changePassword)
    }

    // MARK: Sessions

    @Sendable func listSessions(_ request: Request, context: ServerRequestContext) async throws -> SessionList {
        let user = try await context.requireUser(in: services)
        let summaries = try await AccountActions(services: services).sessions(of: user, context: context)
        return SessionList(sessions: summaries.map {
            SessionItem(handle: $0.handle.description, createdAt: $0.createdAt.iso8601, lastSeenAt: $0.lastSeenAt.iso8601,
                        ip: $0.clientAddress, userAgent: $0.userAgent, current: $0.isCurrent)
        })
    }

    @Sendable func revokeOtherSessions(_ request: Request, context: ServerRequestContext) async throws -> Revoked {
        guard request.uri.queryParameters.get("others") == "true" else {
            throw ProblemDetails(status: .badRequest, code: "sessions.others_required",
                                 detail: "Add ?others=true to end every session but this one; DELETE /api/session ends this one.")
        }
        let user = try await context.requireUser(in: services)
        return Revoked(revoked: try await AccountActions(services: services).revokeOtherSessions(of: user, context: context))
    }

    @Sendable func revokeSession(_ request: Request, context: ServerRequestContext) async throws -> HTTPResponse.Status {
        let user = try await context.requireUser(in: services)
        let handle = context.parameters.get("handle") ?? ""
        guard try await AccountActions(services: services).revokeSession(handle, of: user) else {
            throw ProblemDetails(status: .notFound, code: "session.not_found", detail: "You have no session with this handle.")
        }
        return .noContent
    }

    // MARK: API keys

    @Sendable func createKey(_ request: Request, context: ServerRequestContext) async throws -> EditedResponse<CreatedKey> {
        let user = try await context.requireUser(in: services)
        let body = try await request.decode(as: NewKey.self, context: context)
        let created = try await AccountActions(services: services).createKey(
            for: user, name: body.name, scopes: body.scopes ?? [], expiresInDays: body.expiresInDays, context: context)
        return EditedResponse(status: .created, response: CreatedKey(
            id: created.record.id, key: created.key, name: created.record.name, scopes: created.record.scopes,
            expiresAt: created.record.expiresAt?.iso8601))
    }

    @Sendable func listKeys(_ request: Request, context: ServerRequestContext) async throws -> KeyList {
        let user = try await context.requireUser(in: services)
        let records = try await AccountActions(services: services).activeKeys(of: user)
        return KeyList(keys: records.map {
            KeyItem(id: $0.id, name: $0.name, scopes: $0.scopes, createdAt: $0.createdAt.iso8601,
                    expiresAt: $0.expiresAt?.iso8601, lastUsedAt: $0.lastUsedAt?.iso8601)
        })
    }

    @Sendable func revokeKey(_ request: Request, context: ServerRequestContext) async throws -> HTTPResponse.Status {
        let user = try await context.requireUser(in: services)
        guard try await AccountActions(services: services).revokeKey(context.parameters.get("id") ?? "", of: user) else {
            throw ProblemDetails(status: .notFound, code: "api_key.not_found", detail: "You have no active API key with this ID.")
        }
        return .noContent
    }

    // MARK: Password

    @Sendable func changePassword(_ request: Request, context: ServerRequestContext) async throws -> HTTPResponse.Status {
        let user = try await context.requireUser(in: services)
        let body = try await request.decode(as: PasswordChange.self, context: context)
        try await AccountActions(services: services).changePassword(
            of: user, current: body.current, new: body.new, logoutOthers: body.logoutOthers ?? true, context: context)
        return .noContent
    }
}
