import Foundation

/// Short-lived JWT access tokens: issued with a key from a ``JWTKeySet``,
/// verified under the RFC 9068 profile, and revocable before they expire.
///
/// A token dies in one of three ways: its `exp` passes (10 minutes by
/// default), its `jti` is put on the ``TokenDenyList`` (logout), or its
/// user's revocation epoch moves on (account disabled, "sign out
/// everywhere"; seen by other servers within ``RevocationEpochs/maximumLag``).
public struct AccessTokens: Sendable {
    /// The `typ` of every access token (RFC 9068 §2.1).
    public static let tokenType = "at+jwt"
    /// The private claim carrying the revocation epochs the token was issued under.
    static let epochClaim = "tessera_epoch"

    /// What tokens say and how long they live.
    public struct Configuration: Sendable {
        /// `iss` of issued tokens, and the only issuer accepted.
        public var issuer: String
        /// The audiences tokens may be issued for and are accepted for. With
        /// more than one, every ``AccessTokens/issue(subject:audience:scopes:)`` must name one (ASVS 9.2.4).
        public var audiences: [String]
        /// How long a token lives (OWASP's example: 15 minutes at most).
        public var lifetime: TimeInterval
        /// Clock skew tolerated when verifying.
        public var leeway: TimeInterval

        /// A configuration; `lifetime` defaults to 10 minutes, `leeway` to 30 seconds.
        public init(issuer: String, audiences: [String], lifetime: TimeInterval = 600, leeway: TimeInterval = 30) {
            self.issuer = issuer
            self.audiences = audiences
            self.lifetime = lifetime
            self.leeway = leeway
        }
    }

    /// A token just issued.
    public struct Issued: Sendable {
        /// The compact token to hand to the client.
        public let token: String
        /// Its `jti`.
        public let tokenID: String
        /// Its `exp`.
        public let expiresAt: Date
    }

    /// Why an access token was refused.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The token failed a check: answer 401.
        case rejected(JWTVerificationError)
        /// The deny-list or epoch store could not be asked: answer 503, never let it through.
        case unavailable(StoreError)

        public var description: String {
            switch self {
            case .rejected(let reason): reason.description
            case .unavailable(let error): error.description
            }
        }
    }

    /// How tokens are made and checked.
    public let configuration: Configuration
    /// The keys: the first that can sign issues tokens; all of them verify.
    public let keys: JWTKeySet
    /// Revoked token ids, if revocation by `jti` is wanted.
    public let denyList: (any TokenDenyList)?
    /// Per-user epochs, if "revoke every token of a user" is wanted.
    public let epochs: RevocationEpochs?
    private let verifier: JWTVerifier
    private let signer: JWTSigner
    private let random: RandomSource

    /// Access tokens signed by `keys.signingKey`.
    public init(
        configuration: Configuration, keys: JWTKeySet, denyList: (any TokenDenyList)? = nil, epochs: RevocationEpochs? = nil,
        clock: any WallClock = SystemWallClock(), random: RandomSource = .system
    ) throws(JWTKeyError) {
        guard let signingKey = keys.signingKey else { throw .invalidConfiguration("access tokens need a key that can sign") }
        guard !configuration.audiences.isEmpty else { throw .invalidConfiguration("access tokens need at least one audience") }
        guard configuration.lifetime > 0, configuration.lifetime <= 3600 else {
            throw .invalidConfiguration("an access token lifetime must be between 1 second and 1 hour; use refresh tokens for longer")
        }
        self.configuration = configuration
        self.keys = keys
        self.denyList = denyList
        self.epochs = epochs
        self.random = random
        self.signer = try JWTSigner(key: signingKey)
        self.verifier = try JWTVerifier(
            keys: keys,
            policy: .accessTokens(
                algorithms: Set(keys.ordered.map(\.algorithm)), issuer: configuration.issuer,
                audiences: Set(configuration.audiences), leeway: configuration.leeway),
            clock: clock)
    }

    /// Issues a token for `subject`. `audience` may be omitted only when one audience is configured.
    ///
    /// Throws ``JWTKeyError`` for an audience that isn't configured, and
    /// ``StoreError`` when the revocation epochs can't be read.
    public func issue(subject: String, audience: String? = nil, scopes: [String] = []) async throws -> Issued {
        let audience = try chooseAudience(audience)
        let now = verifier.clock.now()
        let expiresAt = now.addingTimeInterval(configuration.lifetime)
        let tokenID = Base64.urlSafeEncode(random.bytes(16))
        var claims: [(String, JSONValue)] = [
            ("iss", .string(configuration.issuer)),
            ("sub", .string(subject)),
            ("aud", .string(audience)),
            ("iat", .integer(String(Int64(now.timeIntervalSince1970)))),
            ("exp", .integer(String(Int64(expiresAt.timeIntervalSince1970)))),
            ("jti", .string(tokenID)),
        ]
        if !scopes.isEmpty { claims.append(("scope", .string(scopes.joined(separator: " ")))) }
        if let epochs {
            let stamp = try await epochs.stamp(user: subject, now: now, fresh: true)
            claims.append((Self.epochClaim, .array([.integer(String(stamp.user)), .integer(String(stamp.everyone))])))
        }
        let token = try signer.sign(.object(claims), type: Self.tokenType)
        return Issued(token: token, tokenID: tokenID, expiresAt: Date(timeIntervalSince1970: Double(Int64(expiresAt.timeIntervalSince1970))))
    }

    private func chooseAudience(_ audience: String?) throws(JWTKeyError) -> String {
        if let audience {
            guard configuration.audiences.contains(audience) else {
                throw .invalidConfiguration("the audience \"\(SafeText.printable(audience))\" is not configured")
            }
            return audience
        }
        guard configuration.audiences.count == 1 else {
            throw .invalidConfiguration("several audiences are configured, so each token must name its audience (ASVS 9.2.4)")
        }
        return configuration.audiences[0]
    }

    /// Verifies `token`: signature, claims, then revocation.
    public func verify(_ token: String) async throws(Failure) -> VerifiedJWT {
        let verified: VerifiedJWT
        do { verified = try verifier.verify(token) } catch { throw .rejected(error) }
        let now = verifier.clock.now()
        do {
            if let denyList, let tokenID = verified.tokenID, try await denyList.isDenied(tokenID, at: now) {
                throw Failure.rejected(.revoked)
            }
            if let epochs {
                guard case .array(let stamp)? = verified[claim: Self.epochClaim], stamp.count == 2,
                      let user = stamp[0].int64Value, let everyone = stamp[1].int64Value
                else { throw Failure.rejected(.missingClaim(Self.epochClaim)) }
                if try await epochs.isRevoked(.init(user: user, everyone: everyone), user: verified.subject, now: now) {
                    throw Failure.rejected(.revoked)
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as StoreError {
            throw .unavailable(error)
        } catch {
            throw .unavailable(.unavailable("revocation check failed"))
        }
        return verified
    }

    /// Revokes one verified token until its `exp` (logout, ASVS 7.4.1).
    public func revoke(_ token: VerifiedJWT) async throws(StoreError) {
        guard let denyList else { throw .unavailable("no token deny-list is configured, so single tokens can't be revoked") }
        guard let tokenID = token.tokenID, let expiresAt = token.expiresAt else { return }
        try await denyList.deny(tokenID, until: expiresAt.addingTimeInterval(configuration.leeway))
    }

    /// Ends every token issued to `subject` so far (account disabled, ASVS 7.4.2).
    public func revokeAll(ofSubject subject: String) async throws(StoreError) {
        guard let epochs else { throw .unavailable("no revocation epochs are configured, so a user's tokens can't be revoked") }
        try await epochs.advance(subject, now: verifier.clock.now())
    }
}
