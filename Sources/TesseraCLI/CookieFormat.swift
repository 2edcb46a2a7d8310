import ArgumentParser
import Foundation
import Tessera

/// The token formats the CLI reads and writes.
enum CookieFormat: String, CaseIterable, ExpressibleByArgument {
    case tessera
    /// Writes Tornado's version 2; reads versions 1 and 2.
    case tornado = "tornado-v2"
    case itsdangerous
    case itsdangerousTimed = "itsdangerous-timed"
    case itsdangerousSerializer = "itsdangerous-serializer"
    case flask
    case django
    case djangoTimed = "django-timed"
    case djangoDumps = "django-dumps"
    case djangoSession = "django-session"
    case djangoCookie = "django-cookie"

    init?(argument: String) {
        // "tornado" and "tornado-v1" name the same reader (it accepts both versions).
        self.init(rawValue: argument == "tornado" || argument == "tornado-v1" ? "tornado-v2" : argument)
    }

    /// Formats whose MAC binds the cookie name.
    var needsName: Bool { self == .tessera || self == .tornado || self == .djangoCookie }

    /// What verification found, in the CLI's terms.
    enum Outcome {
        case accepted([UInt8])
        case rejected(String)
    }

    static func parseJSON(_ text: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch { throw ValidationError("VALUE must be JSON text for this format (\(error))") }
    }

    static func sign(_ value: String, options: CookieOptions, now: Date = Date()) throws -> String {
        let timestamp = Int64(now.timeIntervalSince1970)
        switch options.format {
        case .tessera:
            let ring = try options.loadRing()
            let purpose = KeyPurpose(options.purpose)
            if options.sealed {
                do { return try SealedValueCodec(ring: ring, purpose: purpose).seal(value, name: options.name, now: now) } catch { throw CommandFailure("\(error)") }
            }
            do { return try SignedValueCodec(ring: ring, purpose: purpose).sign(value, name: options.name, now: now) } catch { throw CommandFailure("\(error)") }
        case .tornado:
            return TornadoSignedValue(secret: try options.secrets().current).sign(Array(value.utf8), name: options.name, timestamp: timestamp)!
        case .itsdangerous, .itsdangerousTimed:
            let signer = try itsDangerousSigner(options)
            let token = options.format == .itsdangerous ? signer.sign(Array(value.utf8)) : signer.signWithTimestamp(Array(value.utf8), timestamp: timestamp)
            return String(decoding: token, as: UTF8.self)
        case .itsdangerousSerializer:
            return try itsDangerousSerializer(options).dumps(parseJSON(value), timestamp: timestamp)
        case .flask:
            let secrets = try options.secrets()
            return try flask(options, secrets).encode(parseJSON(value), timestamp: timestamp)
        case .django, .djangoTimed:
            let signer = try djangoSigner(options)
            return options.format == .django ? signer.sign(value) : signer.sign(value, timestamp: timestamp)
        case .djangoDumps:
            return try djangoSigning(options).dumps(parseJSON(value), timestamp: timestamp)
        case .djangoSession:
            let secrets = try options.secrets()
            return DjangoSessionCookie(secretKey: secrets.current, fallbacks: secrets.fallbacks, salt: options.salt ?? DjangoSessionCookie.salt)
                .encode(try parseJSON(value), timestamp: timestamp)
        case .djangoCookie:
            let secrets = try options.secrets()
            return DjangoSignedCookie(secretKey: secrets.current, fallbacks: secrets.fallbacks)
                .sign(value, name: options.name, salt: options.salt ?? "", timestamp: timestamp)
        }
    }

    static func verify(_ token: String, maxAge: Double?, options: CookieOptions, now: Date = Date()) throws -> Outcome {
        func outcome<Value>(_ verdict: Verdict<Value>, _ bytes: (Value) -> [UInt8]) -> Outcome {
            if let value = verdict.value { return .accepted(bytes(value)) }
            return .rejected(verdict.summary)
        }
        let json = JSONWriter(sortKeys: false, ensureASCII: false)
        switch options.format {
        case .tessera:
            let ring = try options.loadRing()
            let purpose = KeyPurpose(options.purpose)
            let verdict = options.sealed
                ? SealedValueCodec(ring: ring, purpose: purpose).open(token, name: options.name, maxAge: maxAge, now: now)
                : SignedValueCodec(ring: ring, purpose: purpose).verify(token, name: options.name, maxAge: maxAge, now: now)
            return outcome(verdict) { $0 }
        case .tornado:
            let verdict = TornadoSignedValue(secret: try options.secrets().current)
                .verify(token, name: options.name, maxAgeDays: (maxAge ?? 31 * 86_400) / 86_400, now: now)
            return outcome(verdict) { $0 }
        case .itsdangerous:
            return outcome(try itsDangerousSigner(options).unsign(Array(token.utf8))) { $0 }
        case .itsdangerousTimed:
            return outcome(try itsDangerousSigner(options).unsignWithTimestamp(Array(token.utf8), maxAge: maxAge, now: now)) { $0 }
        case .itsdangerousSerializer:
            return outcome(try itsDangerousSerializer(options).loads(token, maxAge: maxAge, now: now)) { json.bytes($0) }
        case .flask:
            let verdict = try flask(options, options.secrets()).decode(token, maxAge: maxAge ?? FlaskSessionCookie.defaultMaxAge, now: now)
            return outcome(verdict) { json.bytes($0) }
        case .django:
            return outcome(try djangoSigner(options).unsign(token)) { Array($0.utf8) }
        case .djangoTimed:
            return outcome(try djangoSigner(options).unsignWithTimestamp(token, maxAge: maxAge, now: now)) { Array($0.utf8) }
        case .djangoDumps:
            return outcome(try djangoSigning(options).loads(token, maxAge: maxAge, now: now)) { json.bytes($0) }
        case .djangoSession:
            let secrets = try options.secrets()
            let verdict = DjangoSessionCookie(secretKey: secrets.current, fallbacks: secrets.fallbacks, salt: options.salt ?? DjangoSessionCookie.salt)
                .decode(token, maxAge: maxAge ?? DjangoSessionCookie.defaultMaxAge, now: now)
            return outcome(verdict) { json.bytes($0) }
        case .djangoCookie:
            let secrets = try options.secrets()
            let verdict = DjangoSignedCookie(secretKey: secrets.current, fallbacks: secrets.fallbacks)
                .verify(token, name: options.name, salt: options.salt ?? "", maxAge: maxAge, now: now)
            return outcome(verdict) { Array($0.utf8) }
        }
    }

    private static func itsDangerousSigner(_ options: CookieOptions) throws -> ItsDangerousSigner {
        let secrets = try options.secrets()
        return ItsDangerousSigner(secrets: (secrets.fallbacks + [secrets.current]).map { Array($0.utf8) },
                                  salt: Array((options.salt ?? "itsdangerous.Signer").utf8))!
    }

    private static func itsDangerousSerializer(_ options: CookieOptions) throws -> ItsDangerousSerializer {
        let secrets = try options.secrets()
        return ItsDangerousSerializer(secrets: (secrets.fallbacks + [secrets.current]).map { Array($0.utf8) },
                                      salt: Array((options.salt ?? "itsdangerous").utf8))!
    }

    private static func flask(_ options: CookieOptions, _ secrets: (current: String, fallbacks: [String])) -> FlaskSessionCookie {
        FlaskSessionCookie(secrets: (secrets.fallbacks + [secrets.current]).map { Array($0.utf8) }, salt: options.salt ?? "cookie-session")!
    }

    private static func djangoSigner(_ options: CookieOptions) throws -> DjangoSigner {
        let secrets = try options.secrets()
        return DjangoSigner(key: Array(secrets.current.utf8), fallbackKeys: secrets.fallbacks.map { Array($0.utf8) },
                            salt: options.salt ?? "", timestamped: options.format == .djangoTimed)!
    }

    private static func djangoSigning(_ options: CookieOptions) throws -> DjangoSigning {
        let secrets = try options.secrets()
        return DjangoSigning(key: Array(secrets.current.utf8), fallbackKeys: secrets.fallbacks.map { Array($0.utf8) },
                             salt: options.salt ?? "django.core.signing")!
    }
}
