/// The CSRF secret of a ``Session``: created on first use, rotated on
/// sign-in, and masked into a fresh token for each page.
///
/// ```swift
/// // Rendering a form (a pre-session before sign-in is fine: CS-C9):
/// let token = try CSRFTokens.token(for: &session)
/// // <input type="hidden" name="csrf_token" value="\(token)">
///
/// // Signing in:
/// try await sessions.logIn(&session, userID: user.id, method: "password")
/// try CSRFTokens.rotate(in: &session)
/// ```
///
/// The secret is stored under ``sessionKey`` as base64url text. Tokens
/// from one session never verify against another session's secret
/// (CS-S15), and tokens rendered before ``rotate(in:random:)`` stop
/// verifying after it.
public enum CSRFTokens {
    /// The session key of the secret: `_csrf`.
    public static let sessionKey = SessionKey<String>("_csrf")

    /// A new masked token for a page, creating the session's secret if it
    /// has none (or an unreadable one).
    /// - Throws: ``SessionError/valueCoding(key:reason:)`` if the session
    ///   can't store the secret.
    public static func token(for session: inout Session, random: RandomSource = .system) throws(SessionError) -> String {
        let secret: CSRFSecret
        if let existing = self.secret(in: session) {
            secret = existing
        } else {
            secret = CSRFSecret(random: random)
            try session.set(sessionKey, secret.encoded)
        }
        return secret.maskedToken(random: random)
    }

    /// The session's secret, or `nil` when it has none or the stored value
    /// is unreadable.
    public static func secret(in session: Session) -> CSRFSecret? {
        guard let stored = try? session.get(sessionKey) else { return nil }
        return CSRFSecret(encoded: stored)
    }

    /// Replaces the session's secret with a new one, so every token
    /// rendered before stops verifying. Call it when a user signs in
    /// (Django's "CSRF token switched on login", CS-C9) and on any
    /// privilege change; ``SessionManager/logIn(_:userID:method:)`` calls it
    /// for you when the session holds a secret.
    /// - Throws: ``SessionError/valueCoding(key:reason:)`` if the session
    ///   can't store the secret.
    public static func rotate(in session: inout Session, random: RandomSource = .system) throws(SessionError) {
        try session.set(sessionKey, CSRFSecret(random: random).encoded)
    }
}
