/// One `WWW-Authenticate` challenge a 401 carries (RFC 9110 §11.6.1).
public struct AuthenticationChallenge: Sendable, Hashable {
    /// The scheme: `Bearer` or `Basic`.
    public let scheme: String
    /// The protection space.
    public let realm: String

    /// `Bearer realm="…"` (RFC 6750), for access tokens and API keys.
    public static func bearer(realm: String) -> AuthenticationChallenge {
        AuthenticationChallenge(scheme: "Bearer", realm: realm)
    }

    /// `Basic realm="…", charset="UTF-8"` (RFC 7617).
    public static func basic(realm: String) -> AuthenticationChallenge {
        AuthenticationChallenge(scheme: "Basic", realm: realm)
    }

    /// The header value, with RFC 6750's `error` when a bearer credential
    /// was presented and refused.
    func headerValue(error: String? = nil, scope: String? = nil) -> String {
        var parameters = [#"realm="\#(Self.quoted(realm))""#]
        if scheme == "Basic" { parameters.append(#"charset="UTF-8""#) }
        if scheme == "Bearer", let error { parameters.append(#"error="\#(error)""#) }
        if scheme == "Bearer", let scope { parameters.append(#"scope="\#(Self.quoted(scope))""#) }
        return scheme + " " + parameters.joined(separator: ", ")
    }

    /// `text` as the inside of a quoted-string: quotes and backslashes
    /// escaped, control characters dropped.
    static func quoted(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
            if scalar == "\"" || scalar == "\\" { result.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// A credential the request carried that an authenticator refused: why,
/// in words safe to log and to show (never the credential itself).
public struct CredentialRejection: Sendable, Hashable {
    /// The authenticator's method.
    public let method: AuthenticationMethod
    /// A short machine-readable reason, such as `jwt.expired` or `api_key.revoked`.
    public let code: String
    /// Seconds to wait, when the refusal is a login throttle.
    public let retryAfter: Int?

    /// A rejection.
    public init(method: AuthenticationMethod, code: String, retryAfter: Int? = nil) {
        self.method = method
        self.code = code
        self.retryAfter = retryAfter
    }
}
