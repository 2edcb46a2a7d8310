/// The `SameSite` attribute (RFC 6265bis §4.1.2.7).
public enum SameSite: String, Sendable, Hashable, CaseIterable {
    /// Sent only on same-site requests.
    case strict = "Strict"
    /// Sent on same-site requests and top-level cross-site navigations (the
    /// browser default and Tessera's).
    case lax = "Lax"
    /// Sent on every request; browsers require `Secure` with it.
    case none = "None"
}
