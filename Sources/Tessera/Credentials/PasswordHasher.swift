import NIOPosix

/// Hashes passwords with scrypt and verifies scrypt, Django PBKDF2 and
/// bcrypt hashes, on a thread pool.
///
/// - **Hashing** writes ``PasswordHash/scrypt(_:salt:hash:)`` with
///   ``parameters`` (default ``ScryptParameters/recommended``: N=2^17, r=8,
///   p=1), a 16-byte salt from ``RandomSource`` and a 32-byte hash.
/// - **Verifying** reads any ``PasswordHash``, compares derived hashes with
///   ``constantTimeEquals(_:_:)``, and on a match says whether to store a
///   fresh hash: always for Django and bcrypt hashes, and for scrypt ones
///   whose parameters differ from ``parameters`` (CS-P6, ASVS-11.4.2).
/// - **Thread pool.** Every derivation runs on an `NIOThreadPool`
///   (`NIOThreadPool.singleton` by default), never on the caller's executor
///   or an event loop.
/// - **Length.** A password over ``maximumPasswordBytes`` UTF-8 bytes
///   (4096 by default) is refused with ``PasswordError/tooLong(maximumBytes:)``
///   before any work (CS-P9). Against a bcrypt hash, over 72 bytes is
///   refused with ``PasswordError/tooLongForBcrypt`` instead of being
///   truncated (CS-P3).
/// - **Normalisation.** scrypt hashes the NFC form of the password; legacy
///   hashes get the exact bytes given (CS-P8, see the source of
///   `PasswordNormalization`).
/// - **Equal work.** Once a password passes the length check, every call
///   to ``verify(_:against:)`` and ``verifyDummy(_:)`` costs exactly one
///   key derivation: when the stored string is malformed, of an unknown
///   scheme, out of bounds or refused for bcrypt, the hasher spends a dummy
///   scrypt derivation before it throws, so such an account answers no
///   faster than an unknown one (ASVS-6.3.8). Legacy hashes still cost
///   what their own parameters cost until they are rehashed.
public struct PasswordHasher: PasswordHashing {
    /// The default longest password, in UTF-8 bytes (ASVS-6.2.9's example bound).
    public static let defaultMaximumPasswordBytes = 4096
    /// The most bytes of a password bcrypt reads.
    public static let bcryptMaximumPasswordBytes = 72
    /// The default highest bcrypt cost verified: 2^16 rounds, some seconds
    /// of CPU. The format allows 31, which would take days.
    public static let defaultMaximumBcryptCost = 16

    /// The scrypt parameters of new hashes.
    public let parameters: ScryptParameters
    /// The longest password accepted, in UTF-8 bytes.
    public let maximumPasswordBytes: Int
    /// The highest bcrypt cost this hasher spends time on; a stored hash
    /// with a higher one gives ``PasswordError/parametersOutOfRange``.
    public let maximumBcryptCost: Int

    private let threadPool: NIOThreadPool
    private let random: RandomSource
    private let kdf: any PasswordKDF
    /// What ``verifyDummy(_:)`` checks against: a hash with the current
    /// parameters and an all-zero salt and hash. Its result is discarded,
    /// so the values don't matter; the work does.
    private let dummyHash: PasswordHash

    /// A hasher.
    /// - Parameters:
    ///   - parameters: scrypt parameters for new hashes.
    ///   - maximumPasswordBytes: the longest password, in UTF-8 bytes. Keep
    ///     it at least as large as ``PasswordPolicy/maximumBytes``.
    ///   - maximumBcryptCost: the highest bcrypt cost to verify.
    ///   - threadPool: where the derivations run.
    ///   - random: the source of salts.
    ///   - kdf: the derivation primitives; tests wrap ``StandardPasswordKDF``.
    public init(
        parameters: ScryptParameters = .recommended,
        maximumPasswordBytes: Int = PasswordHasher.defaultMaximumPasswordBytes,
        maximumBcryptCost: Int = PasswordHasher.defaultMaximumBcryptCost,
        threadPool: NIOThreadPool = .singleton,
        random: RandomSource = .system,
        kdf: any PasswordKDF = StandardPasswordKDF()
    ) {
        self.parameters = parameters
        self.maximumPasswordBytes = maximumPasswordBytes
        self.maximumBcryptCost = maximumBcryptCost
        self.threadPool = threadPool
        self.random = random
        self.kdf = kdf
        self.dummyHash = .scrypt(parameters, salt: [UInt8](repeating: 0, count: PasswordHash.saltByteCount),
                                 hash: [UInt8](repeating: 0, count: PasswordHash.hashByteCount))
    }

    /// A new scrypt hash of `password` in the PHC-style stored format.
    /// - Throws: ``PasswordError/tooLong(maximumBytes:)`` before any work;
    ///   ``PasswordError/threadPoolUnavailable``, ``PasswordError/cancelled``
    ///   or ``PasswordError/derivationFailed``.
    public func hash(_ password: String) async throws(PasswordError) -> String {
        try checkLength(password)
        let salt = random.bytes(PasswordHash.saltByteCount)
        let input = PasswordNormalization.scryptInput(password)
        let derived = try await offload { [kdf, parameters] () throws(PasswordError) in
            try kdf.scrypt(password: input, salt: salt, parameters: parameters, outputByteCount: PasswordHash.hashByteCount)
        }
        return PasswordHash.scrypt(parameters, salt: salt, hash: derived).encoded
    }

    /// Checks `password` against a stored string.
    ///
    /// The length check comes first; then, if the string does not parse,
    /// one dummy derivation runs before the parse error is thrown.
    public func verify(_ password: String, against stored: String) async throws(PasswordError) -> PasswordVerification {
        try checkLength(password)
        let parsed: PasswordHash
        do {
            parsed = try PasswordHash(parsing: stored)
        } catch {
            try await spendDummyWork(password)
            throw error
        }
        return try await verifyChecked(password, against: parsed)
    }

    /// Checks `password` against an already parsed hash.
    ///
    /// The cases of ``PasswordHash`` can be built by hand, around the
    /// parser's bounds, so the value goes through the parser once more
    /// (an unbounded iteration count must not reach the thread pool).
    public func verify(_ password: String, against hash: PasswordHash) async throws(PasswordError) -> PasswordVerification {
        try await verify(password, against: hash.encoded)
    }

    /// One scrypt derivation with the current parameters, as for a user
    /// whose hash is current; the result is discarded (ASVS-6.3.8).
    public func verifyDummy(_ password: String) async throws(PasswordError) {
        try checkLength(password)
        _ = try await verifyChecked(password, against: dummyHash)
    }

    // MARK: - Internals

    private func checkLength(_ password: String) throws(PasswordError) {
        guard password.utf8.count <= maximumPasswordBytes else { throw .tooLong(maximumBytes: maximumPasswordBytes) }
    }

    /// Verification after the length check: exactly one derivation.
    private func verifyChecked(_ password: String, against hash: PasswordHash) async throws(PasswordError) -> PasswordVerification {
        let kdf = self.kdf
        switch hash {
        case .scrypt(let hashParameters, let salt, let expected):
            let input = PasswordNormalization.scryptInput(password)
            let derived = try await offload { () throws(PasswordError) in
                try kdf.scrypt(password: input, salt: salt, parameters: hashParameters, outputByteCount: expected.count)
            }
            guard constantTimeEquals(derived, expected) else { return .mismatch }

        case .djangoPBKDF2SHA256(let iterations, let salt, let expected):
            let input = Array(password.utf8)
            let derived = try await offload { () throws(PasswordError) in
                try kdf.pbkdf2SHA256(password: input, salt: Array(salt.utf8), iterations: iterations, outputByteCount: expected.count)
            }
            guard constantTimeEquals(derived, expected) else { return .mismatch }

        case .bcrypt(let variant, let cost, let saltAndHash):
            let refusal: PasswordError? =
                password.utf8.count > Self.bcryptMaximumPasswordBytes ? .tooLongForBcrypt
                : password.utf8.contains(0) ? .nulCharacterForBcrypt
                : cost > maximumBcryptCost ? .parametersOutOfRange
                : nil
            if let refusal {
                try await spendDummyWork(password)
                throw refusal
            }
            // The C code knows `$2a$` and `$2b$`; `$2y$` is the same algorithm as `$2b$`.
            let cHash = PasswordHash.bcrypt(variant == .y ? .b : variant, cost: cost, saltAndHash: saltAndHash).encoded
            // Its final comparison is memcmp, not constant-time. What it
            // compares is the bcrypt output for the guess; steering that
            // byte by byte would need the salt and a preimage attack.
            let matched = try await offload { () throws(PasswordError) in
                kdf.bcryptVerify(password: password, hash: cHash)
            }
            guard matched else { return .mismatch }
        }
        return .match(needsRehash: hash.needsRehash(comparedTo: parameters))
    }

    /// The dummy derivation that stands in for a check that could not run.
    private func spendDummyWork(_ password: String) async throws(PasswordError) {
        _ = try await verifyChecked(password, against: dummyHash)
    }

    /// Runs `work` on the thread pool and maps the pool's errors.
    private func offload<Result: Sendable>(
        _ work: @escaping @Sendable () throws(PasswordError) -> Result
    ) async throws(PasswordError) -> Result {
        do {
            return try await threadPool.runIfActive { try work() }
        } catch let error as PasswordError {
            throw error
        } catch is CancellationError {
            // NIOThreadPool reports both a cancelled task and a pool that
            // is shut down as CancellationError.
            throw Task.isCancelled ? .cancelled : .threadPoolUnavailable
        } catch {
            throw .threadPoolUnavailable
        }
    }
}
