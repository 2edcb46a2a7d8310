import Foundation
import HTTPTypes
import Hummingbird
import Tessera
import TesseraHummingbird

/// `/api/tokens` (an access and a refresh token for a session or a
/// password), `/api/tokens/refresh`, and the JWKS that lets other services
/// verify the access tokens.
struct TokenRoutes: Sendable {
    let services: ServerServices

    struct PasswordGrant: Decodable { let username: String?; let password: String? }
    struct RefreshGrant: Decodable { let refresh_token: String }
    struct TokenPair: ResponseEncodable {
        let access_token: String
        let refresh_token: String
        var token_type = "Bearer"
        let expires_in: Int
    }

    func register(api: RouterGroup<ServerRequestContext>, root: Router<ServerRequestContext>) {
        api.post("tokens", use: issue)
        api.post("tokens/refresh", use: refresh)
        root.get(".well-known/jwks.json", use: jwks)
    }

    @Sendable func issue(_ request: Request, context: ServerRequestContext) async throws -> TokenPair {
        let grant = try? await request.decode(as: PasswordGrant.self, context: context)
        let userID: String
        if let username = grant?.username, let password = grant?.password {
            userID = try await PasswordSignIn(services: services).verify(username, password, context: context)
        } else if let session = context.tessera.session, session.isAuthenticated, let sessionUser = session.userID {
            // The route skips the CSRF middleware (it also takes passwords),
            // so a session needs its token here: a cookie alone mints nothing.
            try requireCSRFToken(request, session: session)
            userID = sessionUser
        } else {
            throw ProblemDetails(status: .unauthorized, code: "token.no_credential",
                                 detail: "Send {\"username\",\"password\"}, or call with a session and its X-CSRF-Token.",
                                 headers: [.wwwAuthenticate: #"Bearer realm="tessera""#])
        }
        _ = try await context.requireUser(in: services, userID: userID)
        return try await pair(for: userID)
    }

    @Sendable func refresh(_ request: Request, context: ServerRequestContext) async throws -> TokenPair {
        let body: RefreshGrant
        do { body = try await request.decode(as: RefreshGrant.self, context: context) } catch {
            throw ProblemDetails(status: .badRequest, code: "token.bad_request", detail: "Send {\"refresh_token\": \"…\"}.")
        }
        let grant: RefreshTokens.Grant
        do {
            grant = try await services.refreshTokens.rotate(body.refresh_token)
        } catch .unavailable {
            throw ProblemDetails.serviceUnavailable
        } catch {
            throw ProblemDetails(status: .unauthorized, code: "token.refresh_invalid",
                                 detail: "The refresh token is not valid; sign in again.",
                                 headers: [.wwwAuthenticate: #"Bearer realm="tessera", error="invalid_token""#])
        }
        _ = try await context.requireUser(in: services, userID: grant.record.userID)
        let access = try await accessToken(for: grant.record.userID)
        return TokenPair(access_token: access.token, refresh_token: grant.token, expires_in: Int(services.accessTokens.configuration.lifetime))
    }

    @Sendable func jwks(_ request: Request, context: ServerRequestContext) async throws -> Response {
        var response = Response(status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "public, max-age=300"],
                                body: .init(byteBuffer: ByteBuffer(string: JSONWriter().string(services.accessTokens.keys.jwks))))
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }

    private func pair(for userID: String) async throws -> TokenPair {
        let access = try await accessToken(for: userID)
        let refresh: RefreshTokens.Grant
        do { refresh = try await services.refreshTokens.issue(userID: userID) } catch { throw ProblemDetails.serviceUnavailable }
        return TokenPair(access_token: access.token, refresh_token: refresh.token, expires_in: Int(services.accessTokens.configuration.lifetime))
    }

    private func accessToken(for userID: String) async throws -> AccessTokens.Issued {
        do { return try await services.accessTokens.issue(subject: userID) } catch { throw ProblemDetails.serviceUnavailable }
    }

    private func requireCSRFToken(_ request: Request, session: RequestSession) throws {
        let presented = request.headers[HTTPField.Name(CSRFConfiguration.defaultHeaderName)!] ?? ""
        guard let secret = CSRFTokens.secret(in: session.snapshot), secret.matches(presented) else {
            throw ProblemDetails(status: .forbidden, code: "csrf.token_missing",
                                 detail: "Send the session's CSRF token in X-CSRF-Token (from POST /api/session or GET /api/session).")
        }
    }
}
