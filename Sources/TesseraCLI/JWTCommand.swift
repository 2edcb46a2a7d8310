import ArgumentParser
import Foundation
import Tessera

/// `tessera jwt`: verify and make JWS tokens.
struct JWTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwt",
        abstract: "Verify a JWT strictly (RFC 8725), or sign one for testing.",
        subcommands: [JWTVerifyCommand.self, JWTSignCommand.self]
    )
}

/// Reads a JWK or JWK Set file into a key set.
func loadJWKFile(_ path: String, algorithm: JWSAlgorithm?) async throws -> JWTKeySet {
    guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read JWK file \(path)") }
    do {
        return try await JWTKeySet.parse(jwkJSON: String(decoding: data, as: UTF8.self), algorithm: algorithm)
    } catch {
        throw CommandFailure("JWK file \(path): \(error)")
    }
}

extension JWSAlgorithm: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}

/// `tessera jwt verify`.
struct JWTVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify TOKEN; print its claims and exit 0, or print why it was refused and exit 1.",
        discussion: """
        The token must be a compact JWS signed by a key in --jwk-file with that key's one
        algorithm. Refused: alg "none" in any spelling, algorithms other than the key's or
        --alg, embedded jwk/jku/x5u/x5c, any crit, duplicate header or claim names,
        non-canonical base64url, tokens over 8 KiB, and exp/nbf/iat outside the leeway.
        A token with "aud" is refused unless --aud names one of its audiences.

        Examples:
          tessera jwt verify --jwk-file jwks.json --iss https://auth.example.com --aud api TOKEN
          tessera jwt verify --jwk-file key.jwk --alg HS256 --leeway 0 TOKEN
        """
    )

    @Option(name: .long, help: "A JWK or JWK Set (JSON) with the trusted key(s).")
    var jwkFile: String

    @Option(name: .long, help: "The only algorithm accepted (default: each key's own).")
    var alg: JWSAlgorithm?

    @Option(name: .long, help: "Required issuer (iss).")
    var iss: String?

    @Option(name: .long, help: "An accepted audience (repeatable).")
    var aud: [String] = []

    @Option(name: .long, help: "Required type (typ), e.g. at+jwt.")
    var typ: String?

    @Option(name: .long, help: "Clock skew tolerated on exp/nbf/iat, in seconds (0-300).")
    var leeway: Int = 0

    @Flag(name: .long, help: "Refuse tokens without exp.")
    var requireExp = false

    @Option(name: .long, help: "Verify as if the time were this Unix timestamp (for test vectors).")
    var now: Int64?

    @Argument(help: "The token.")
    var token: String

    func validate() throws {
        guard (0...Int(JWTVerificationPolicy.maximumLeeway)).contains(leeway) else {
            throw ValidationError("--leeway must be between 0 and \(Int(JWTVerificationPolicy.maximumLeeway)) seconds")
        }
    }

    func run() async throws {
        let keys = try await loadJWKFile(jwkFile, algorithm: alg)
        let allowed: Set<JWSAlgorithm> = alg.map { [$0] } ?? Set(keys.ordered.map(\.algorithm))
        let policy = JWTVerificationPolicy(
            allowedAlgorithms: allowed, issuer: iss, audiences: Set(aud), requiredType: typ,
            requiredClaims: requireExp ? ["exp"] : [], leeway: TimeInterval(leeway))
        let clock: any WallClock = now.map { ManualWallClock(Date(timeIntervalSince1970: TimeInterval($0))) } ?? SystemWallClock()
        let verifier: JWTVerifier
        do { verifier = try JWTVerifier(keys: keys, policy: policy, clock: clock) } catch { throw CommandFailure("\(error)") }
        do {
            let verified = try verifier.verify(token.trimmingCharacters(in: .whitespacesAndNewlines))
            print(JSONWriter(ensureASCII: false).string(verified.claims))
        } catch {
            printError("rejected: \(error) [\(error.code)]")
            throw ExitCode.failure
        }
    }
}

/// `tessera jwt sign`.
struct JWTSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print a token with CLAIMS (a JSON object), signed with a private or symmetric JWK.",
        discussion: """
        For testing. Adds iat and exp (--ttl) unless CLAIMS has them.

        Example:
          tessera jwt sign --jwk-file key.jwk --typ at+jwt '{"sub":"alice","aud":"api"}'
        """
    )

    @Option(name: .long, help: "A JWK with private material (oct k, EC/OKP d); the first signing key of a set is used.")
    var jwkFile: String

    @Option(name: .long, help: "Algorithm, if the JWK has no alg.")
    var alg: JWSAlgorithm?

    @Option(name: .long, help: "Header typ.")
    var typ: String = "JWT"

    @Option(name: .long, help: "Lifetime in seconds when CLAIMS has no exp.")
    var ttl: Int = 600

    @Argument(help: "The claims, a JSON object.")
    var claims: String = "{}"

    func run() async throws {
        let keys = try await loadJWKFile(jwkFile, algorithm: alg)
        guard let key = keys.signingKey else { throw CommandFailure("the JWK file holds no key that can sign (it needs \"d\" or \"k\")") }
        guard case .object(var members)? = try? JSONParser.parse(Array(claims.utf8), rejectingDuplicateMembers: true) else {
            throw ValidationError("CLAIMS must be a JSON object without repeated names")
        }
        let now = Int64(Date().timeIntervalSince1970)
        if !members.contains(where: { $0.0 == "iat" }) { members.append(("iat", .integer(String(now)))) }
        if !members.contains(where: { $0.0 == "exp" }) { members.append(("exp", .integer(String(now + Int64(ttl))))) }
        do {
            print(try JWTSigner(key: key).sign(.object(members), type: typ))
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
