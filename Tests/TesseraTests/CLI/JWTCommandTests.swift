import Crypto
import Foundation
import Testing
@testable import Tessera

/// Every attack of checklist section 3, driven through `tessera jwt verify`
/// as a user (or another JWS test set) would run it: exit 1 and the reason
/// code on standard error, never the claims on standard output.
@Suite(.serialized) struct JWTCommandTests {
    let cli = TesseraProcess()
    let secret = SecureRandom.bytes(32)
    let ec = P256.Signing.PrivateKey()
    let now = String(JWTForge.now)

    var octJWK: String { #"{"kty":"oct","kid":"k1","alg":"HS256","k":"\#(Base64.urlSafeEncode(secret))"}"# }
    var ecJWK: String {
        let raw = Array(ec.publicKey.rawRepresentation)
        return #"{"kty":"EC","crv":"P-256","kid":"ec","x":"\#(Base64.urlSafeEncode(raw.prefix(32)))","y":"\#(Base64.urlSafeEncode(raw.suffix(32)))"}"#
    }

    func hs(_ header: String, _ payload: String = JWTForge.claims) -> String {
        JWTForge.hs256(header: header, payload: payload, key: secret)
    }

    func verify(_ token: String, jwk: String? = nil, _ extra: [String] = []) throws -> TesseraProcess.Run {
        let file = try cli.write(jwk ?? #"{"keys":[\#(octJWK),\#(ecJWK)]}"#, to: "keys.json")
        return try cli.run(arguments: ["jwt", "verify", "--jwk-file", file, "--now", now] + extra + ["--", token])
    }

    func expectRejected(_ row: String, _ token: String, code: String, jwk: String? = nil, _ extra: [String] = []) throws {
        let result = try verify(token, jwk: jwk, extra)
        #expect(result.status == 1, "\(row): exit \(result.status)")
        #expect(result.stdout.isEmpty, "\(row): claims printed for a refused token")
        #expect(result.stderr.contains("[\(code)]"), "\(row): \(result.stderr)")
    }

    @Test func aValidTokenPrintsItsClaims() throws {
        let result = try verify(hs(#"{"alg":"HS256","kid":"k1"}"#))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == JWTForge.claims)
        let es = try JWTForge.es256(header: #"{"alg":"ES256","kid":"ec"}"#, payload: JWTForge.claims, key: ec)
        #expect(try verify(es).status == 0)
    }

    @Test func test_J_01_none() throws {
        for spelling in ["none", "None", "NONE", "nOnE"] {
            try expectRejected("J-01", JWTForge.unsigned(header: #"{"alg":"\#(spelling)","kid":"k1"}"#, payload: JWTForge.claims), code: "jwt.unsigned")
        }
    }

    @Test func test_J_02_algorithmOffTheAllowList() throws {
        try expectRejected("J-02", hs(#"{"alg":"HS256","kid":"k1"}"#), code: "jwt.algorithm_not_allowed", ["--alg", "ES256"])
        let hs384 = JWTForge.hmac(SHA384.self, header: #"{"alg":"HS384","kid":"k1"}"#, payload: JWTForge.claims, key: secret)
        try expectRejected("J-02", hs384, code: "jwt.algorithm_not_allowed")
    }

    @Test func test_J_03_keyConfusion() throws {
        let pem = JWTForge.rsaPublicKeyPEM
        let jwk = try Self.rsaJWK(pem: pem)
        let forged = JWTForge.hs256(header: #"{"alg":"HS256","kid":"rsa"}"#, payload: JWTForge.claims, key: Array(pem.utf8))
        try expectRejected("J-03", forged, code: "jwt.algorithm_not_allowed", jwk: jwk)
    }

    @Test func test_J_04_algorithmBoundToKey() throws {
        let es384 = try JWTForge.es256(header: #"{"alg":"ES384","kid":"ec"}"#, payload: JWTForge.claims, key: ec)
        try expectRejected("J-04", es384, code: "jwt.algorithm_not_allowed")
        try expectRejected("J-04", hs(#"{"alg":"HS256","kid":"ec"}"#), code: "jwt.algorithm_not_allowed")
    }

    @Test func test_J_05_kidInjection() throws {
        for kid in ["../../../../dev/null", "' OR '1'='1", String(repeating: "k", count: 3000)] {
            try expectRejected("J-05", hs(#"{"alg":"HS256","kid":"\#(kid)"}"#), code: "jwt.unknown_key")
        }
    }

    @Test func test_J_06_embeddedKeys() throws {
        let attacker = P256.Signing.PrivateKey()
        let raw = Array(attacker.publicKey.rawRepresentation)
        let jwk = #"{"kty":"EC","crv":"P-256","x":"\#(Base64.urlSafeEncode(raw.prefix(32)))","y":"\#(Base64.urlSafeEncode(raw.suffix(32)))"}"#
        try expectRejected("J-06", try JWTForge.es256(header: #"{"alg":"ES256","kid":"ec","jwk":\#(jwk)}"#, payload: JWTForge.claims, key: attacker), code: "jwt.embedded_key")
        try expectRejected("J-06", hs(#"{"alg":"HS256","kid":"k1","jku":"http://127.0.0.1:9/jwks"}"#), code: "jwt.embedded_key")
        try expectRejected("J-06", hs(#"{"alg":"HS256","kid":"k1","x5u":"http://127.0.0.1:9/c"}"#), code: "jwt.embedded_key")
    }

    @Test func test_ASVS_9_1_3_keyURLsInATokenAreNeverFetched() throws {
        // A listening socket stands in for the attacker's key server: any
        // fetch would leave a connection in its accept queue.
        let spy = try ConnectionSpy()
        defer { spy.close() }
        let url = "http://127.0.0.1:\(spy.port)"
        try expectRejected("ASVS-9.1.3", hs(#"{"alg":"HS256","kid":"k1","jku":"\#(url)/jwks.json"}"#), code: "jwt.embedded_key")
        try expectRejected("ASVS-9.1.3", hs(#"{"alg":"HS256","kid":"k1","x5u":"\#(url)/cert.pem"}"#), code: "jwt.embedded_key")
        try expectRejected("ASVS-9.1.3", hs(#"{"alg":"HS256","kid":"nope","jku":"\#(url)/jwks.json"}"#), code: "jwt.embedded_key")
        #expect(spy.pendingConnections() == 0)
        // The spy does see a fetch: one connection of our own is counted.
        #expect(spy.knock())
        #expect(spy.pendingConnections() == 1)
    }

    @Test func test_J_07_crit() throws {
        for crit in [#"["foo"]"#, "[]", #"["alg"]"#, #"["b64"]"#, #"["missing"]"#] {
            try expectRejected("J-07", hs(#"{"alg":"HS256","kid":"k1","crit":\#(crit)}"#), code: "jwt.crit")
        }
    }

    @Test func test_J_08_expiry() throws {
        try expectRejected("J-08", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(now)}"#), code: "jwt.expired")
        try expectRejected("J-08", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":"\#(now)9"}"#), code: "jwt.invalid_claim")
        try expectRejected("J-08", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"sub":"a"}"#), code: "jwt.missing_claim", ["--require-exp"])
        #expect(try verify(hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(JWTForge.now + 1)}"#)).status == 0)
        #expect(try verify(hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":\#(JWTForge.now - 5)}"#), ["--leeway", "10"]).status == 0)
    }

    @Test func test_J_09_notBefore() throws {
        try expectRejected("J-09", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"nbf":\#(JWTForge.now + 1)}"#), code: "jwt.not_yet_valid")
        #expect(try verify(hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"nbf":\#(now)}"#)).status == 0)
    }

    @Test func test_J_10_issuedInTheFuture() throws {
        try expectRejected("J-10", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"iat":\#(JWTForge.now + 3600)}"#), code: "jwt.iat_out_of_range")
    }

    @Test func test_J_11_audience() throws {
        try expectRejected("J-11", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"aud":"other"}"#), code: "jwt.wrong_audience", ["--aud", "us"])
        try expectRejected("J-11", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"sub":"a"}"#), code: "jwt.wrong_audience", ["--aud", "us"])
        #expect(try verify(hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"aud":["x","us"]}"#), ["--aud", "us"]).status == 0)
    }

    @Test func test_J_12_issuer() throws {
        try expectRejected("J-12", hs(#"{"alg":"HS256","kid":"k1"}"#, #"{"iss":"https://evil.example"}"#), code: "jwt.wrong_issuer", ["--iss", "https://auth.example"])
    }

    @Test func test_J_13_type() throws {
        try expectRejected("J-13", hs(#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#), code: "jwt.wrong_type", ["--typ", "at+jwt"])
        #expect(try verify(hs(#"{"alg":"HS256","kid":"k1","typ":"application/at+jwt"}"#), ["--typ", "at+jwt"]).status == 0)
    }

    @Test func test_J_14_compactOnly() throws {
        let parts = hs(#"{"alg":"HS256","kid":"k1"}"#).split(separator: ".").map(String.init)
        try expectRejected("J-14", #"{"payload":"\#(parts[1])","protected":"\#(parts[0])","signature":"\#(parts[2])"}"#, code: "jwt.not_compact")
        try expectRejected("J-14", parts[0] + "." + parts[1], code: "jwt.not_compact")
        try expectRejected("J-14", parts.joined(separator: ".") + ".", code: "jwt.not_compact")
        try expectRejected("J-14", parts.joined(separator: ".") + "." + parts[2], code: "jwt.not_compact")
    }

    @Test func test_J_15_lenientBase64() throws {
        let token = hs(#"{"alg":"HS256","kid":"k1"}"#)
        try expectRejected("J-15", token + "=", code: "jwt.bad_encoding")
        try expectRejected("J-15", token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "+", code: "jwt.bad_encoding")
        let parts = token.split(separator: ".").map(String.init)
        try expectRejected("J-15", parts[0] + "." + parts[1].prefix(6) + "\r\n" + parts[1].dropFirst(6) + "." + parts[2], code: "jwt.bad_encoding")
    }

    @Test func test_J_16_duplicateNames() throws {
        try expectRejected("J-16", hs(#"{"alg":"HS256","alg":"none","kid":"k1"}"#), code: "jwt.bad_header")
    }

    @Test func test_J_17_nonUTF8() throws {
        let header = Array(#"{"alg":"HS256","kid":"k1","x":"é"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 }
        let input = Base64.urlSafeEncode(header) + "." + JWTForge.segment(JWTForge.claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        try expectRejected("J-17", input + "." + Base64.urlSafeEncode(Array(mac)), code: "jwt.bad_header")
    }

    @Test func test_J_18_weakKeyFileIsRefused() throws {
        let short = #"{"kty":"oct","k":"\#(Base64.urlSafeEncode(SecureRandom.bytes(16)))"}"#
        let result = try verify(hs(#"{"alg":"HS256"}"#), jwk: short)
        #expect(result.status == 1)
        #expect(result.stderr.contains("at least 32"))
    }

    @Test func test_J_19_ecdsaEncoding() throws {
        let header = #"{"alg":"ES256","kid":"ec"}"#
        try expectRejected("J-19", try JWTForge.es256(header: header, payload: JWTForge.claims, key: ec, der: true), code: "jwt.bad_signature")
        try expectRejected("J-19", JWTForge.unsigned(header: header, payload: JWTForge.claims, signature: Base64.urlSafeEncode([UInt8](repeating: 0, count: 64))), code: "jwt.bad_signature")
    }

    @Test func test_J_21_jwe() throws {
        try expectRejected("J-21", JWTForge.segment(#"{"alg":"dir","enc":"A256GCM"}"#) + "..aaaa.bbbb.cccc", code: "jwt.not_compact")
    }

    @Test func test_J_22_hugeToken() throws {
        try expectRejected("J-22", hs(#"{"alg":"HS256","kid":"k1","pad":"\#(String(repeating: "x", count: 7000))"}"#), code: "jwt.too_large")
    }

    @Test func test_J_25_rfc7515Example() throws {
        let jwk = #"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let file = try cli.write(jwk, to: "rfc.jwk")
        let valid = try cli.run("jwt", "verify", "--jwk-file", file, "--now", "1300819379", token)
        #expect(valid.status == 0 && valid.stdout.contains(#""iss":"joe""#))
        let expired = try cli.run("jwt", "verify", "--jwk-file", file, token)
        #expect(expired.status == 1 && expired.stderr.contains("[jwt.expired]"))
    }

    @Test func signThenVerifyRoundTrips() throws {
        let file = try cli.write(octJWK, to: "k.jwk")
        let signed = try cli.run("jwt", "sign", "--jwk-file", file, "--typ", "at+jwt", #"{"sub":"alice","aud":"api"}"#)
        #expect(signed.status == 0, "\(signed.stderr)")
        let verified = try cli.run("jwt", "verify", "--jwk-file", file, "--aud", "api", "--typ", "at+jwt", "--require-exp", signed.stdout)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains(#""sub":"alice""#))
    }

    /// The RSA public key of the PyJWT vectors as a JWK, via the vector file's own `public_jwk`.
    static func rsaJWK(pem: String) throws -> String {
        let url = Fixtures.interopDirectory.appendingPathComponent("jwt_rs256.json")
        let document = try JSONParser.parse(Array(try Data(contentsOf: url)))
        guard case .array(let vectors)? = document["vectors"], let jwk = vectors.first?["public_jwk"],
              case .object(var members) = jwk else { throw InteropRunner.Failure.badVector("no public_jwk") }
        members.append(("kid", .string("rsa")))
        members.append(("alg", .string("RS256")))
        return JSONWriter().string(.object(members))
    }
}

/// A TCP listener on a loopback port that counts the connections made to it
/// without ever answering them.
final class ConnectionSpy {
    private let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Accepts (and closes) every connection waiting; returns how many there were.
    func pendingConnections() -> Int {
        var count = 0
        while case let connection = accept(descriptor, nil, nil), connection >= 0 {
            count += 1
            _ = Foundation.close(connection)
        }
        return count
    }

    /// Connects to the spy once and hangs up, as a fetch would begin.
    func knock() -> Bool {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { _ = Foundation.close(client) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    func close() { _ = Foundation.close(descriptor) }
}
