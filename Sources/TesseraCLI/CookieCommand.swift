import ArgumentParser
import Foundation
import Tessera

/// `tessera cookie`: sign, seal and inspect cookie values.
struct CookieCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cookie",
        abstract: "Sign, seal and verify cookie values, Tessera's own or those of Tornado, Flask/itsdangerous and Django.",
        subcommands: [CookieSignCommand.self, CookieVerifyCommand.self]
    )
}

/// The options `sign` and `verify` share.
struct CookieOptions: ParsableArguments {
    @Option(name: .long, help: "Key ring file (Tessera format). Defaults to $\(KeyRingFile.environmentVariable) when set.")
    var ring: String?

    @Option(name: .long, help: "The cookie name the value is bound to.")
    var name: String = ""

    @Option(name: .long, help: "What the value is for (Tessera format); a different purpose uses a different derived key.")
    var purpose: String = "cookie"

    @Flag(name: .long, help: "Encrypt (AES-256-GCM) instead of only signing (Tessera format).")
    var sealed = false

    @Option(name: .long, help: "Token format: \(CookieFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: CookieFormat = .tessera

    @Option(name: .long, help: "File holding the Python app's SECRET_KEY / cookie_secret (compat formats).")
    var secretFile: String?

    @Option(name: .long, help: "File holding an older secret that still verifies (repeatable; SECRET_KEY_FALLBACKS).")
    var fallbackSecretFile: [String] = []

    @Option(name: .long, help: "Salt (itsdangerous, Django); the format's default when omitted.")
    var salt: String?

    func validate() throws {
        if format == .tessera {
            if secretFile != nil { throw ValidationError("--secret-file is for compat formats; the Tessera format takes --ring") }
        } else {
            if secretFile == nil { throw ValidationError("--format \(format.rawValue) needs --secret-file") }
            if sealed { throw ValidationError("--sealed applies only to the Tessera format") }
        }
        if format.needsName && name.isEmpty { throw ValidationError("--format \(format.rawValue) needs --name (the cookie name is part of the signature)") }
    }

    func loadRing() throws -> KeyRing {
        do {
            if let ring { return try KeyRingFile.load(path: ring) }
            if let ring = try KeyRingFile.load() { return ring }
        } catch {
            throw CommandFailure("\(error)")
        }
        throw ValidationError("no key ring: pass --ring FILE (create one with `tessera keygen`) or set $\(KeyRingFile.environmentVariable)")
    }

    func readSecret(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read secret file \(path)") }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw CommandFailure("secret file \(path) is empty") }
        return text
    }

    func secrets() throws -> (current: String, fallbacks: [String]) {
        (try readSecret(secretFile ?? ""), try fallbackSecretFile.map(readSecret))
    }
}

/// `tessera cookie sign`.
struct CookieSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print a signed (or --sealed) token for VALUE.",
        discussion: """
        Examples:
          tessera cookie sign --ring tessera-keyring.json --name user dave
          tessera cookie sign --ring tessera-keyring.json --name session --sealed '{"cart":[1,2]}'
          tessera cookie sign --format tornado --secret-file secret.txt --name user dave
        For JSON formats (itsdangerous-serializer, flask, django-dumps, django-session) VALUE is JSON text.
        """
    )

    @OptionGroup var options: CookieOptions

    @Argument(help: "The value to sign.")
    var value: String

    func run() throws {
        print(try CookieFormat.sign(value, options: options))
    }
}

/// `tessera cookie verify`.
struct CookieVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify TOKEN: print its value and exit 0, or print why it was rejected on stderr and exit 1.",
        discussion: """
        Examples:
          tessera cookie verify --ring tessera-keyring.json --name user --max-age 3600 'S1.k2026…'
          tessera cookie verify --format flask --secret-file secret.txt 'eyJ1c2VyIjo0Mn0.ZgNq4A.…'
        Values that are not UTF-8 text are printed as base64.
        """
    )

    @OptionGroup var options: CookieOptions

    @Option(name: .long, help: "Reject tokens older than this many seconds (formats with a timestamp).")
    var maxAge: Double?

    @Argument(help: "The token, as copied from the cookie.")
    var token: String

    func validate() throws {
        if let maxAge, maxAge < 0 { throw ValidationError("--max-age must not be negative") }
    }

    func run() throws {
        switch try CookieFormat.verify(token, maxAge: maxAge, options: options) {
        case .accepted(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) {
                print(text)
            } else {
                printError("(binary value, shown as base64)")
                print(Base64.standardEncode(bytes))
            }
        case .rejected(let reason):
            printError("rejected: \(reason)")
            throw ExitCode.failure
        }
    }
}
