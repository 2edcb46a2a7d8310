import HTTPTypes
import Testing
@testable import Tessera
@testable import TesseraHummingbird

/// Splitting `Authorization` values, and what the bearer, API key and Basic
/// readers take from them.
@Suite struct AuthorizationHeaderValueTests {
    @Test(arguments: [
        ("Bearer abc.def", "Bearer", "abc.def"),
        ("bearer abc", "bearer", "abc"),
        ("  BEARER    abc \t ", "BEARER", "abc"),
        ("Bearer", "Bearer", ""),
        ("Bearer   ", "Bearer", ""),
        ("Bearer\tabc", "Bearer\tabc", ""),
        ("Basic dXNlcjpwYXNz", "Basic", "dXNlcjpwYXNz"),
        ("", "", ""),
        ("Béarer tök en ", "Béarer", "tök en"),
        ("Bearer \u{00A0}x\u{00A0}", "Bearer", "\u{00A0}x\u{00A0}"),
    ])
    func splitsSchemeAndParameters(value: String, scheme: String, parameters: String) {
        let split = AuthorizationHeaderValue(value)
        #expect(split.scheme == scheme)
        #expect(split.parameters == parameters)
    }

    @Test func schemesCompareWithoutASCIICaseOnly() {
        #expect(AuthorizationHeaderValue("BeArEr x").hasScheme("bearer"))
        #expect(!AuthorizationHeaderValue("Bearers x").hasScheme("bearer"))
        #expect(!AuthorizationHeaderValue("Beare x").hasScheme("bearer"))
        // Fullwidth letters lowercase to themselves, never to ASCII.
        #expect(!AuthorizationHeaderValue("ＢＥＡＲＥＲ x").hasScheme("bearer"))
        #expect(!AuthorizationHeaderValue("").hasScheme("bearer"))
    }

    @Test func bearerTokenIsTakenFromOneHeaderOnly() {
        func presented(_ values: [String]) -> BearerCredential {
            var fields = HTTPFields()
            for value in values { fields.append(HTTPField(name: .authorization, value: value)) }
            return BearerCredential.presented(in: fields)
        }
        #expect(presented([]) == .none)
        #expect(presented(["Basic dXNlcjpwYXNz"]) == .none)
        #expect(presented(["Bearer  eyJ.a.b  "]) == .token("eyJ.a.b"))
        #expect(presented(["bearer eyJ.a.b"]) == .token("eyJ.a.b"))
        #expect(presented(["Bearer"]) == .conflicting, "a Bearer scheme with no token")
        #expect(presented(["Bearer a", "Bearer a"]) == .conflicting, "a repeated header")
        #expect(presented(["Bearer a", "Basic b"]) == .conflicting, "a bearer beside another Authorization header")
    }

    @Test func apiKeyInABearerHeaderIsTrimmedLikeTheOtherHeaders() {
        let key = "tsk_" + String(repeating: "a", count: 12) + "_" + String(repeating: "b", count: 49)
        let source = APIKeyCredentialSource()
        let bearer = source.presented(headers: { $0 == "Authorization" ? ["BEARER  \(key) "] : [] })
        let header = source.presented(headers: { $0 == "X-API-Key" ? [" \(key)\t"] : [] })
        #expect(bearer == .key(key))
        #expect(header == .key(key))
        #expect(source.presented(headers: { $0 == "Authorization" ? ["Basic \(key)"] : [] }) == .none)
    }

    @Test func basicCredentialsComeFromTheParameters() throws {
        let pair = try #require(HTTPBasicAuthenticator<BasicTesseraRequestContext>.credentials(in: "Basic  YWxpY2U6czNjcjp0 "))
        #expect(pair.0 == "alice")
        #expect(pair.1 == "s3cr:t")
        #expect(HTTPBasicAuthenticator<BasicTesseraRequestContext>.credentials(in: "Basic") == nil)
        #expect(HTTPBasicAuthenticator<BasicTesseraRequestContext>.credentials(in: "Basic bm8gY29sb24=") == nil, "no colon")
    }
}
