/// One parser or decoder that reads outside input, as a fuzzing target.
///
/// Each target feeds the input bytes to the code under test and checks the
/// properties users rely on (a forged token never verifies, what was parsed
/// renders back to the same thing, limits hold). A broken property stops
/// the process through ``FuzzCheck/require(_:_:)``, which libFuzzer reports
/// as a crash with the input that caused it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The server's `Cookie` request header parser.
    case cookieHeader = "cookie-header"
    /// The client jar: one `Set-Cookie` line received from a URL.
    case setCookie = "set-cookie"
    /// Tessera's signed values (`S1`).
    case signedValue = "signed-value"
    /// Tessera's sealed values (`E1`, AEAD).
    case sealedValue = "sealed-value"
    /// Tornado's `set_secure_cookie` values, versions 1 and 2, and its XSRF token.
    case tornado
    /// Flask's session cookie (itsdangerous).
    case flaskSession = "flask-session"
    /// Django's signed cookies and signed-cookie sessions.
    case django
    /// The client's `cookies.txt` reader (Netscape/curl format).
    case cookiesTxt = "cookies-txt"
    /// The API key parser (`tsk_…`).
    case apiKey = "api-key"
    /// The form-login HTML scanner.
    case htmlForm = "html-form"
    /// JWT verification (compact JWS, header, signature, claims).
    case jwt

    /// Runs one input through the target's code and checks its properties.
    public func run(_ input: [UInt8], with fixtures: FuzzFixtures) {
        switch self {
        case .cookieHeader: CookieHeaderFuzzing.run(input)
        case .setCookie: SetCookieFuzzing.run(input)
        case .signedValue: SignedValueFuzzing.run(input, fixtures: fixtures)
        case .sealedValue: SealedValueFuzzing.run(input, fixtures: fixtures)
        case .tornado: TornadoFuzzing.run(input, fixtures: fixtures)
        case .flaskSession: FlaskSessionFuzzing.run(input, fixtures: fixtures)
        case .django: DjangoFuzzing.run(input, fixtures: fixtures)
        case .cookiesTxt: CookiesTxtFuzzing.run(input)
        case .apiKey: APIKeyFuzzing.run(input)
        case .htmlForm: HTMLFormFuzzing.run(input)
        case .jwt: JWTFuzzing.run(input, fixtures: fixtures)
        }
    }

    /// Whether the target's decoder accepts `input` as authentic (for the
    /// token targets; `false` for the others, which have no such verdict).
    public func accepts(_ input: [UInt8], with fixtures: FuzzFixtures) -> Bool {
        let text = String(decoding: input, as: UTF8.self)
        switch self {
        case .signedValue: return fixtures.signed.verify(text, name: "session", maxAge: nil, now: FuzzFixtures.now).isValid
        case .sealedValue: return fixtures.sealed.open(text, name: "session", maxAge: nil, now: FuzzFixtures.now).isValid
        case .tornado: return fixtures.tornado.verify(text, name: "session", maxAgeDays: 1_000_000, now: TornadoFuzzing.now).isValid
        case .django: return fixtures.djangoCookie.verify(text, name: "session", salt: "", maxAge: nil, now: FuzzFixtures.now).isValid
        case .jwt: return (try? fixtures.jwtVerifier.verify(input)) != nil
        case .cookieHeader, .setCookie, .flaskSession, .cookiesTxt, .apiKey, .htmlForm: return false
        }
    }

    /// Valid inputs made in code with the fixtures' keys, for targets whose
    /// interesting inputs carry a MAC no mutation would find: written into
    /// the working corpus before a run, and replayed by the seed tests.
    public func samples(with fixtures: FuzzFixtures) -> [[UInt8]] {
        switch self {
        case .signedValue: SignedValueFuzzing.samples(fixtures: fixtures)
        case .sealedValue: SealedValueFuzzing.samples(fixtures: fixtures)
        case .jwt: JWTFuzzing.samples(fixtures: fixtures)
        case .tornado: TornadoFuzzing.samples(fixtures: fixtures)
        case .django: DjangoFuzzing.samples(fixtures: fixtures)
        case .cookieHeader, .setCookie, .flaskSession, .cookiesTxt, .apiKey, .htmlForm: []
        }
    }
}
