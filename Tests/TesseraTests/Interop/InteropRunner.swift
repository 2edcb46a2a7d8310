import Foundation
@testable import Tessera

/// Runs one interop vector through the matching Tessera compat type and
/// judges the result against the vector's `expect`.
enum InteropRunner {
    /// What Tessera made of a vector.
    struct Outcome {
        /// `valid`, `expired` or `invalid`, in the vectors' vocabulary.
        var verdict: String
        /// For accepted tokens: whether the decoded value equals `value`.
        var valueMatches: Bool = true
        /// For regenerable vectors: whether signing reproduced `token` exactly (nil: not attempted).
        var regenerated: Bool?
    }

    enum Failure: Error, CustomStringConvertible {
        case unknownFormat(String)
        case badVector(String)
        var description: String {
            switch self {
            case .unknownFormat(let format): return "unrecognised format \"\(format)\""
            case .badVector(let reason): return "vector cannot be configured: \(reason)"
            }
        }
    }

    static let supportedFormats: Set<String> = [
        "tornado-signed-value-v1", "tornado-signed-value-v2", "tornado-xsrf",
        "itsdangerous-signer", "itsdangerous-timestamp-signer", "itsdangerous-urlsafe-timed-serializer", "flask-session",
        "django-signer", "django-timestamp-signer", "django-signing-dumps", "django-session-signed-cookies",
        "django-signed-cookie", "django-csrf",
    ]

    /// Judges an outcome: nil when it matches the vector, else why not.
    static func judge(_ outcome: Outcome, _ vector: InteropVector) -> String? {
        switch vector.expect {
        case "valid":
            if outcome.verdict != "valid" {
                return vector.isLenient && outcome.verdict == "invalid" ? nil : "expected valid, got \(outcome.verdict)"
            }
            if !outcome.valueMatches { return "accepted, but the decoded value differs" }
            if outcome.regenerated == false { return "signing did not reproduce the token byte for byte" }
            return nil
        case "expired":
            return outcome.verdict == "expired" ? nil : "expected expired, got \(outcome.verdict)"
        case "invalid":
            return outcome.verdict == "valid" ? "expected invalid, but the token was accepted" : nil
        default:
            return "unknown expectation \"\(vector.expect)\""
        }
    }

    static func word<Value>(_ verdict: Verdict<Value>) -> String {
        switch verdict {
        case .valid: return "valid"
        case .expired: return "expired"
        default: return "invalid"
        }
    }

    static func digest(_ name: String?) throws -> PythonDigest {
        guard let digest = PythonDigest(rawValue: name ?? "sha1") else { throw Failure.badVector("digest \(name ?? "")") }
        return digest
    }

    static func derivation(_ name: String?) throws -> ItsDangerousSigner.KeyDerivation {
        guard let derivation = ItsDangerousSigner.KeyDerivation(rawValue: name ?? "django-concat") else {
            throw Failure.badVector("key derivation \(name ?? "")")
        }
        return derivation
    }

    static func run(_ vector: InteropVector, format: String) throws -> Outcome {
        switch format {
        case "tornado-signed-value-v1", "tornado-signed-value-v2": return try tornadoSignedValue(vector, format: format)
        case "tornado-xsrf": return tornadoXSRF(vector)
        case "itsdangerous-signer", "itsdangerous-timestamp-signer": return try itsDangerousSigner(vector, timestamped: format.contains("timestamp"))
        case "itsdangerous-urlsafe-timed-serializer", "flask-session": return try itsDangerousSerializer(vector, flask: format == "flask-session")
        case "django-signer", "django-timestamp-signer": return try djangoSigner(vector, timestamped: format.contains("timestamp"))
        case "django-signing-dumps", "django-session-signed-cookies": return try djangoSigning(vector)
        case "django-signed-cookie": return try djangoSignedCookie(vector)
        case "django-csrf": return djangoCSRF(vector)
        default: throw Failure.unknownFormat(format)
        }
    }

    // MARK: Tornado

    static func tornadoSecret(_ value: JSONValue?) throws -> TornadoSignedValue.Secret {
        switch value {
        case .string(let text)?: return .single(Array(text.utf8))
        case .object(let members)?:
            var keys: [Int: [UInt8]] = [:]
            for (version, secret) in members {
                guard let number = Int(version), let text = secret.stringValue else { throw Failure.badVector("secret dict") }
                keys[number] = Array(text.utf8)
            }
            return .versioned(keys)
        default: throw Failure.badVector("secret")
        }
    }

    static func tornadoSignedValue(_ vector: InteropVector, format: String) throws -> Outcome {
        let verifier = TornadoSignedValue(secret: try tornadoSecret(vector.fields["secret"]))
        let verdict = verifier.verify(vector.token, name: vector.string("name") ?? "", maxAgeDays: vector.number("max_age_days") ?? 31,
                                      minVersion: Int(vector.integer("min_version") ?? 1), now: vector.now)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = value == vector.valueBytes }
        // Tessera writes only version 2, as Tornado does by default.
        if format == "tornado-signed-value-v2", vector.isRegenerable, vector.expect == "valid", let value = vector.valueBytes {
            let signingSecret = try vector.fields["signing_secret"].map { try tornadoSecret($0) } ?? tornadoSecret(vector.fields["secret"])
            let signer = TornadoSignedValue(secret: signingSecret, signingKeyVersion: Int(vector.integer("key_version") ?? 0))
            outcome.regenerated = signer.sign(value, name: vector.signing("name") ?? "", timestamp: vector.integer("timestamp") ?? 0) == vector.token
        }
        return outcome
    }

    static func tornadoXSRF(_ vector: InteropVector) -> Outcome {
        let accepted = TornadoXSRFToken.check(cookie: vector.string("cookie"), token: vector.string("token"))
        var outcome = Outcome(verdict: accepted ? "valid" : "invalid")
        if vector.isRegenerable, vector.expect == "valid", let raw = vector.string("raw_token").flatMap({ Hex.decode($0) }),
           let mask = vector.string("mask").flatMap({ Hex.decode($0) }), let timestamp = vector.integer("timestamp") {
            outcome.regenerated = TornadoXSRFToken.make(rawToken: raw, mask: mask, timestamp: timestamp) == vector.token
        }
        return outcome
    }

    // MARK: itsdangerous and Flask

    static func itsDangerousSigner(_ vector: InteropVector, timestamped: Bool) throws -> Outcome {
        func make(_ secrets: [[UInt8]], signing: Bool) throws -> ItsDangerousSigner {
            let pick = { (key: String) in signing ? vector.signing(key) : vector.string(key) }
            guard let separator = pick("sep")?.utf8.first,
                  let signer = ItsDangerousSigner(secrets: secrets, salt: Array((pick("salt") ?? "").utf8), separator: separator,
                                                  keyDerivation: try derivation(pick("key_derivation")), digest: try digest(pick("digest"))) else {
                throw Failure.badVector("signer settings")
            }
            return signer
        }
        let verifier = try make(vector.secretsOldestFirst, signing: false)
        let verdict = timestamped ? verifier.unsignWithTimestamp(vector.tokenBytes, maxAge: vector.maxAge, now: vector.now) : verifier.unsign(vector.tokenBytes)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = value == vector.valueBytes }
        if vector.isRegenerable, vector.expect == "valid", let value = vector.valueBytes {
            let signer = try make(vector.signingSecretsOldestFirst, signing: true)
            let token = timestamped ? signer.signWithTimestamp(value, timestamp: vector.integer("timestamp") ?? 0) : signer.sign(value)
            outcome.regenerated = token == vector.tokenBytes
        }
        return outcome
    }

    static func itsDangerousSerializer(_ vector: InteropVector, flask: Bool) throws -> Outcome {
        func make(_ secrets: [[UInt8]], signing: Bool) throws -> ItsDangerousSerializer {
            let pick = { (key: String) in signing ? vector.signing(key) : vector.string(key) }
            let salt = pick("salt") ?? (flask ? "cookie-session" : "itsdangerous")
            let made: ItsDangerousSerializer?
            if flask {
                made = FlaskSessionCookie(secrets: secrets, salt: salt, keyDerivation: try derivation(pick("key_derivation")),
                                          digest: try digest(pick("digest")))?.serializer
            } else {
                made = ItsDangerousSerializer(secrets: secrets, salt: Array(salt.utf8), keyDerivation: try derivation(pick("key_derivation")),
                                              digest: try digest(pick("digest")))
            }
            guard let made else { throw Failure.badVector("serializer settings") }
            return made
        }
        let verdict = try make(vector.secretsOldestFirst, signing: false).loads(vector.token, maxAge: vector.maxAge, now: vector.now)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = value == vector.jsonValue }
        if vector.isRegenerable, vector.expect == "valid", let value = vector.jsonValue {
            let serializer = try make(vector.signingSecretsOldestFirst, signing: true)
            let sameJSON = vector.string("payload_json").map { serializer.writer.string(value) == $0 } ?? true
            outcome.regenerated = sameJSON && serializer.dumps(value, timestamp: vector.integer("timestamp") ?? 0) == vector.token
        }
        return outcome
    }

    // MARK: Django

    static func djangoSigner(_ vector: InteropVector, timestamped: Bool) throws -> Outcome {
        func make(key: String, fallbacks: [String], signing: Bool) throws -> DjangoSigner {
            let pick = { (name: String) in signing ? vector.signing(name) : vector.string(name) }
            guard let signer = DjangoSigner(key: Array(key.utf8), fallbackKeys: fallbacks.map { Array($0.utf8) }, salt: pick("salt") ?? "",
                                            separator: pick("sep") ?? ":", algorithm: try digest(pick("algorithm") ?? "sha256"),
                                            timestamped: timestamped) else { throw Failure.badVector("signer settings") }
            return signer
        }
        let verifier = try make(key: vector.string("secret") ?? "", fallbacks: vector.fallbacks, signing: false)
        let verdict = timestamped ? verifier.unsignWithTimestamp(vector.token, maxAge: vector.maxAge, now: vector.now) : verifier.unsign(vector.token)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = Array(value.utf8) == vector.valueBytes }
        if vector.isRegenerable, vector.expect == "valid", let value = vector.string("value") {
            let signer = try make(key: vector.signing("secret") ?? "", fallbacks: [], signing: true)
            let token = timestamped ? signer.sign(value, timestamp: vector.integer("timestamp") ?? 0) : signer.sign(value)
            outcome.regenerated = token == vector.token
        }
        return outcome
    }

    static func djangoSigning(_ vector: InteropVector) throws -> Outcome {
        func make(key: String, fallbacks: [String], signing: Bool) throws -> DjangoSigning {
            let pick = { (name: String) in signing ? vector.signing(name) : vector.string(name) }
            guard let made = DjangoSigning(key: Array(key.utf8), fallbackKeys: fallbacks.map { Array($0.utf8) },
                                           salt: pick("salt") ?? "django.core.signing", algorithm: try digest(pick("algorithm") ?? "sha256")) else {
                throw Failure.badVector("signing settings")
            }
            return made
        }
        let verdict = try make(key: vector.string("secret") ?? "", fallbacks: vector.fallbacks, signing: false)
            .loads(vector.token, maxAge: vector.maxAge, now: vector.now)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = value == vector.jsonValue }
        if vector.isRegenerable, vector.expect == "valid", let value = vector.jsonValue {
            let signing = try make(key: vector.signing("secret") ?? "", fallbacks: [], signing: true)
            let sameJSON = vector.string("payload_json").map { DjangoSigning.writer.string(value) == $0 } ?? true
            let token = signing.dumps(value, compress: vector.fields["compress"] == .bool(true), timestamp: vector.integer("timestamp") ?? 0)
            outcome.regenerated = sameJSON && token == vector.token
        }
        return outcome
    }

    static func djangoSignedCookie(_ vector: InteropVector) throws -> Outcome {
        let verifier = DjangoSignedCookie(secretKey: vector.string("secret") ?? "", fallbacks: vector.fallbacks,
                                          legacySaltFallback: vector.fields["legacy_salt_fallback"] != .bool(false),
                                          algorithm: try digest(vector.string("algorithm") ?? "sha256"))
        let verdict = verifier.verify(vector.token, name: vector.string("name") ?? "", salt: vector.string("salt") ?? "",
                                      maxAge: vector.maxAge, now: vector.now)
        var outcome = Outcome(verdict: word(verdict))
        if let value = verdict.value { outcome.valueMatches = Array(value.utf8) == vector.valueBytes }
        if vector.isRegenerable, vector.expect == "valid", let value = vector.string("value") {
            let signer = DjangoSignedCookie(secretKey: vector.signing("secret") ?? "", algorithm: try digest(vector.signing("algorithm") ?? "sha256"))
            let name = vector.signing("name") ?? "", salt = vector.signing("salt") ?? "", timestamp = vector.integer("timestamp") ?? 0
            let token = vector.string("signing_salt_scheme") == "legacy"
                ? signer.signLegacy(value, name: name, salt: salt, timestamp: timestamp)
                : signer.sign(value, name: name, salt: salt, timestamp: timestamp)
            outcome.regenerated = token == vector.token
        }
        return outcome
    }

    static func djangoCSRF(_ vector: InteropVector) -> Outcome {
        let accepted = DjangoCSRFToken.check(cookie: vector.string("cookie"), token: vector.string("token"))
        var outcome = Outcome(verdict: accepted ? "valid" : "invalid")
        if vector.isRegenerable, vector.expect == "valid", let secret = vector.string("csrf_secret"), let mask = vector.string("mask"),
           vector.token.utf8.count == 64 {
            outcome.regenerated = DjangoCSRFToken.mask(secret: secret, mask: mask) == vector.token
        }
        return outcome
    }
}
