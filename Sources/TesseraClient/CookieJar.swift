import Foundation
import Synchronization
import Tessera

/// What became of one `Set-Cookie` header given to a ``CookieJar``.
public enum CookieStoreOutcome: Sendable, Equatable {
    /// The cookie is stored (new, or replacing one of the same name, domain and path).
    case stored(JarCookie)
    /// The cookie arrived already expired (`Max-Age=0`, a past `Expires`): any
    /// stored cookie of the same name, domain and path is gone.
    case deleted(removedExisting: Bool)
    /// The jar ignored the cookie, for this reason.
    case rejected(CookieRejection)
}

/// A cookie jar that follows RFC 6265bis: the storage model (§5.7), the
/// retrieval rules of the `Cookie` header (§5.8.3) and eviction (§5.7.3).
///
/// ```swift
/// let jar = CookieJar()
/// let url = CookieURL("https://app.example.com/login")!
/// jar.store(setCookie: "sid=abc; Secure; HttpOnly; Path=/", from: url)
/// jar.cookieHeader(for: CookieURL("https://app.example.com/account")!)  // "sid=abc"
/// ```
///
/// The jar refuses cookies for public suffixes (``PublicSuffixList/shared``:
/// Debian's list when installed, a built-in one otherwise), caps lifetimes at
/// 400 days and evicts beyond ``Limits``. A jar is safe to share between tasks.
public final class CookieJar: Sendable {
    /// How many cookies a jar keeps before it evicts.
    public struct Limits: Sendable, Hashable {
        /// Cookies per `Domain` value; the RFC asks for at least 50.
        public var perDomain: Int
        /// Cookies in all; the RFC asks for at least 3000.
        public var total: Int

        /// Browser-like limits: 180 per domain, 3000 in all.
        public init(perDomain: Int = 180, total: Int = 3000) {
            self.perDomain = max(1, perDomain)
            self.total = max(1, total)
        }
    }

    /// A change not yet saved, replayed by ``CookieJarFile`` onto the file's latest
    /// contents so that two processes sharing one file lose nothing. Only jars
    /// loaded from a file record them, and a save forgets those it wrote.
    enum Change: Sendable {
        case received(String, from: CookieURL, at: Date)
        case removed(@Sendable (JarCookie) -> Bool)
    }

    private struct State {
        var cookies: [JarCookie.Identity: JarCookie] = [:]
        var clock: UInt64 = 0
        /// `nil` when the jar does not record changes (it belongs to no file).
        var changes: [Change]?

        mutating func tick() -> UInt64 {
            clock += 1
            return clock
        }
    }

    /// The list that decides which domains are public suffixes.
    public let publicSuffixes: PublicSuffixList
    /// The eviction limits.
    public let limits: Limits
    private let state: Mutex<State>

    /// An empty jar.
    public convenience init(publicSuffixes: PublicSuffixList = .shared, limits: Limits = Limits()) {
        self.init(publicSuffixes: publicSuffixes, limits: limits, recordingChanges: false)
    }

    /// An empty jar that records its changes for ``CookieJarFile/save(_:keepingSessionCookies:now:)``.
    init(publicSuffixes: PublicSuffixList, limits: Limits, recordingChanges: Bool) {
        self.publicSuffixes = publicSuffixes
        self.limits = limits
        self.state = Mutex(State(changes: recordingChanges ? [] : nil))
    }

    // MARK: Storing

    /// Stores one `Set-Cookie` header value received in a response from `url`.
    @discardableResult
    public func store(setCookie header: String, from url: CookieURL, now: Date = Date()) -> CookieStoreOutcome {
        let policy = CookieStoragePolicy(publicSuffixes: publicSuffixes)
        let received: ReceivedSetCookie
        switch ReceivedSetCookie.parse(header) {
        case .success(let parsed): received = parsed
        case .failure(let rejection): return .rejected(rejection)
        }
        return state.withLock { state in
            let decision = policy.record(for: received, from: url, now: now) { new in
                state.cookies.values.contains { CookieStoragePolicy.shadows(new, $0) && !$0.isExpired(at: now) }
            }
            var cookie: JarCookie
            switch decision {
            case .success(let record): cookie = record
            case .failure(let rejection): return .rejected(rejection)
            }
            state.changes?.append(.received(header, from: url, at: now))
            let identity = cookie.identity
            let old = state.cookies[identity]
            if cookie.isExpired(at: now) {
                state.cookies[identity] = nil
                return .deleted(removedExisting: old.map { !$0.isExpired(at: now) } ?? false)
            }
            let stamp = state.tick()
            if let old {
                cookie.created = old.created
                cookie.creationIndex = old.creationIndex
            } else {
                cookie.creationIndex = stamp
            }
            cookie.lastAccess = stamp
            state.cookies[identity] = cookie
            evict(&state, now: now, domain: cookie.domain)
            return state.cookies[identity].map { .stored($0) } ?? .deleted(removedExisting: old != nil)
        }
    }

    /// Stores every `Set-Cookie` header value of one response.
    public func store(setCookieHeaders headers: some Sequence<String>, from url: CookieURL, now: Date = Date()) {
        for header in headers { store(setCookie: header, from: url, now: now) }
    }

    /// Adds a record as it is, after those already in the jar (for loading a file).
    /// A record with the same name, domain and path is replaced.
    public func insert(_ cookie: JarCookie) {
        state.withLock { state in
            var cookie = cookie
            let stamp = state.tick()
            cookie.creationIndex = stamp
            cookie.lastAccess = stamp
            state.cookies[cookie.identity] = cookie
        }
    }

    // MARK: Retrieving

    /// The cookies to send to `url`, in `Cookie` header order: longer paths
    /// first, then earlier creation. Marks them as just used.
    public func cookies(for url: CookieURL, now: Date = Date()) -> [JarCookie] {
        state.withLock { state in
            var matching = state.cookies.values.filter { !$0.isExpired(at: now) && $0.matches(url) }
            matching.sort { a, b in
                let (lengthA, lengthB) = (a.path.utf8.count, b.path.utf8.count)
                return lengthA != lengthB ? lengthA > lengthB : a.creationIndex < b.creationIndex
            }
            guard !matching.isEmpty else { return matching }
            let stamp = state.tick()
            for index in matching.indices {
                matching[index].lastAccess = stamp
                state.cookies[matching[index].identity]?.lastAccess = stamp
            }
            return matching
        }
    }

    /// The value of the one `Cookie` header for `url`, or `nil` when no cookie matches.
    public func cookieHeader(for url: CookieURL, now: Date = Date()) -> String? {
        let matching = cookies(for: url, now: now)
        return matching.isEmpty ? nil : matching.map(\.headerPair).joined(separator: "; ")
    }

    /// Every unexpired cookie, oldest first.
    public func allCookies(now: Date = Date()) -> [JarCookie] {
        state.withLock { state in
            state.cookies.values.filter { !$0.isExpired(at: now) }.sorted { $0.creationIndex < $1.creationIndex }
        }
    }

    // MARK: Removing

    /// Removes every cookie for which `shouldRemove` is true; returns how many.
    @discardableResult
    public func removeCookies(where shouldRemove: @escaping @Sendable (JarCookie) -> Bool) -> Int {
        state.withLock { state in
            state.changes?.append(.removed(shouldRemove))
            let doomed = state.cookies.values.filter(shouldRemove).map(\.identity)
            for identity in doomed { state.cookies[identity] = nil }
            return doomed.count
        }
    }

    /// Removes the cookies that would be sent to `url`'s host, whatever their path
    /// (what a client does after logging out of a site).
    @discardableResult
    public func removeCookies(for url: CookieURL) -> Int {
        let host = url.host, isIP = url.hostIsIPAddress
        return removeCookies { cookie in
            cookie.hostOnly ? cookie.domain == host : CookieMatching.domain(host, matches: cookie.domain, hostIsIPAddress: isIP)
        }
    }

    /// The changes not yet saved, oldest first; `nil` for a jar that records none.
    var unsavedChanges: [Change]? { state.withLock { $0.changes } }

    /// Forgets the first `count` changes, once a save has written them.
    func forgetSavedChanges(_ count: Int) {
        state.withLock { state in
            guard var changes = state.changes else { return }
            state.changes = nil
            changes.removeFirst(min(count, changes.count))
            state.changes = changes
        }
    }

    /// Applies another jar's changes to this one, as they happened.
    func replay(_ changes: [Change]) {
        for change in changes {
            switch change {
            case .received(let header, let url, let now): store(setCookie: header, from: url, now: now)
            case .removed(let predicate): removeCookies(where: predicate)
            }
        }
    }

    // MARK: Eviction

    /// Expired cookies first; then, for a domain over its limit, the least
    /// recently used non-secure cookies, then secure ones; then, over the total
    /// limit, the least recently used of all (§5.7.3).
    private func evict(_ state: inout State, now: Date, domain: String) {
        for (identity, cookie) in state.cookies where cookie.isExpired(at: now) { state.cookies[identity] = nil }
        let sameDomain = state.cookies.values.filter { $0.domain == domain }
        if sameDomain.count > limits.perDomain {
            let order = sameDomain.sorted { a, b in a.secure != b.secure ? !a.secure : a.lastAccess < b.lastAccess }
            for cookie in order.prefix(sameDomain.count - limits.perDomain) { state.cookies[cookie.identity] = nil }
        }
        if state.cookies.count > limits.total {
            let order = state.cookies.values.sorted { $0.lastAccess < $1.lastAccess }
            for cookie in order.prefix(state.cookies.count - limits.total) { state.cookies[cookie.identity] = nil }
        }
    }
}
