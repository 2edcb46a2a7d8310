import HTTPTypes
public import Hummingbird
public import Tessera

/// Authenticates the request by an API key (`tsk_…`) from
/// `Authorization: Bearer`, `API-Access-Key` or `X-API-Key`, and from a
/// query parameter only when ``APIKeyCredentialSource/queryParameter`` is set.
///
/// A key in the query ends up in access logs, proxy logs and browser
/// history; enable it only for clients that can send no header, and
/// prefer short-lived keys there.
///
/// Keys are checked by ``APIKeys/authenticate(_:)``: a malformed key costs
/// no store call, the secret is compared in constant time, and a store
/// that is down makes protected routes answer 503. The identity carries
/// the key's owner, scopes and ID; `authenticatedAt` is `nil`, so a key
/// never passes ``RequireRecentAuthentication``.
public struct APIKeyAuthenticator<Context: TesseraRequestContext>: TesseraAuthenticator {
    /// The key service.
    public let keys: APIKeys
    /// Where keys are read from.
    public let source: APIKeyCredentialSource
    /// The `Bearer` challenge a 401 offers for this scheme.
    public let challenge: AuthenticationChallenge?

    /// An authenticator over `keys`.
    public init(keys: APIKeys, source: APIKeyCredentialSource = APIKeyCredentialSource(), realm: String = "tessera") {
        self.keys = keys
        self.source = source
        self.challenge = .bearer(realm: realm)
    }

    /// Checks the request's credential of this kind.
    public func authenticate(_ request: Request, context: Context) async -> AuthenticationOutcome {
        let presented = source.presented(
            headers: { name in HTTPField.Name(name).map { request.headers[values: $0] } ?? [] },
            query: { name in request.uri.queryParameters.getAll(name) }
        )
        switch presented {
        case .none:
            return .absent
        case .conflicting:
            return .refused(CredentialRejection(method: .apiKey, code: "api_key.conflicting"))
        case .key(let key):
            do {
                let record = try await keys.authenticate(key)
                return .authenticated(AuthenticatedIdentity(userID: record.owner, method: .apiKey,
                                                            scopes: Set(record.scopes), credentialID: record.id))
            } catch {
                switch error {
                case .unavailable(let storeError): return .unavailable(storeError)
                case .malformed: return .refused(CredentialRejection(method: .apiKey, code: "api_key.malformed"))
                case .unknown: return .refused(CredentialRejection(method: .apiKey, code: "api_key.unknown"))
                case .revoked: return .refused(CredentialRejection(method: .apiKey, code: "api_key.revoked"))
                case .expired: return .refused(CredentialRejection(method: .apiKey, code: "api_key.expired"))
                }
            }
        }
    }
}
