/// The access token a client sends as `Authorization: Bearer`, and the one
/// refresh that replaces it when it has expired.
///
/// However many requests fail with the same expired token at once, the
/// refresh function runs once ("single flight"); every caller waits for its
/// result. A refresh that fails is reported to every waiter, and the next
/// caller may try again.
public actor BearerTokens {
    /// Gets a new access token; given the one that failed (`nil` when there is none yet).
    public typealias Refresh = @Sendable (_ failedToken: String?) async throws -> String

    private var token: String?
    private var inFlight: Task<String, any Error>?
    private let refresh: Refresh
    /// How many times the refresh function has run.
    public private(set) var refreshCount = 0

    /// Starts with `accessToken` (or none, so the first request refreshes).
    public init(accessToken: String?, refresh: @escaping Refresh) {
        self.token = accessToken
        self.refresh = refresh
    }

    /// The token to send now: the result of a refresh in flight, else the
    /// stored token, else a new one.
    public func current() async throws -> String {
        // A finished refresh's waiters can resume before its starter stores the
        // token, so a refresh still registered as in flight wins over `token`.
        if let inFlight { return try await inFlight.value }
        if let token { return token }
        return try await refreshed(after: nil)
    }

    /// A token newer than `failed`: the one another caller already got, the
    /// refresh in flight, or a new refresh.
    public func refreshed(after failed: String?) async throws -> String {
        if let inFlight { return try await inFlight.value }
        if let token, token != failed { return token }
        let refresh = self.refresh
        let task = Task { try await refresh(failed) }
        inFlight = task
        refreshCount += 1
        defer { inFlight = nil }
        do {
            let fresh = try await task.value
            token = fresh
            return fresh
        } catch {
            token = nil
            throw error
        }
    }
}
