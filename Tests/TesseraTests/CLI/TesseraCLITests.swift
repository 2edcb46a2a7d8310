import Foundation
import Testing

/// Runs the built `tessera` executable, as a user would.
@Suite(.serialized) struct TesseraCLITests {
    let cli = TesseraProcess()
    var directory: URL { cli.directory }

    func run(_ arguments: String...) throws -> TesseraProcess.Run {
        try cli.run(arguments: arguments)
    }

    func run(arguments: [String]) throws -> TesseraProcess.Run {
        try cli.run(arguments: arguments)
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: TesseraProcess.binary), "build it first: swift build (scripts/test.sh does)")
    }

    @Test func keygenWritesAnOwnerOnlyRing() throws {
        let result = try run("keygen", "--ring", "ring.json")
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("ring.json").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try run("keygen", "--ring", "ring.json").status == 1, "refuses to overwrite")
    }

    @Test(arguments: [false, true])
    func signVerifyRoundTripAndTamper(sealed: Bool) throws {
        #expect(try run("keygen", "--ring", "ring.json").status == 0)
        let flags = sealed ? ["--sealed"] : []
        let signed = try run(arguments: ["cookie", "sign", "--ring", "ring.json", "--name", "current_user"] + flags + ["dave"])
        #expect(signed.status == 0)
        let token = signed.stdout
        #expect(!sealed || !token.contains("ZGF2ZQ"), "sealed token must not carry base64 of the value")
        let verified = try run(arguments: ["cookie", "verify", "--ring", "ring.json", "--name", "current_user", "--max-age", "60"] + flags + [token])
        #expect(verified.status == 0)
        #expect(verified.stdout == "dave")
        // Tampering: change one character of the MAC or ciphertext.
        var bytes = Array(token.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = try run(arguments: ["cookie", "verify", "--ring", "ring.json", "--name", "current_user"] + flags + [String(decoding: bytes, as: UTF8.self)])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("rejected: bad signature"))
        #expect(tampered.stdout.isEmpty)
        // Another cookie name is another signature.
        let moved = try run(arguments: ["cookie", "verify", "--ring", "ring.json", "--name", "admin"] + flags + [token])
        #expect(moved.status == 1)
    }

    @Test func rotationWithKeygenAdd() throws {
        #expect(try run("keygen", "--ring", "ring.json").status == 0)
        let old = try run("cookie", "sign", "--ring", "ring.json", "--name", "n", "v").stdout
        #expect(try run("keygen", "--add", "--ring", "ring.json").status == 0)
        let new = try run("cookie", "sign", "--ring", "ring.json", "--name", "n", "v").stdout
        #expect(old.split(separator: ".")[1] != new.split(separator: ".")[1], "the added key signs")
        #expect(try run("cookie", "verify", "--ring", "ring.json", "--name", "n", old).stdout == "v", "the old key still verifies")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run("cookie", "verify", "--ring", "ring.json", "token").status == 2)  // no --name
        #expect(try run("cookie", "sign", "--format", "nope", "x").status == 2)
        #expect(try run("cookie", "verify", "--format", "flask", "x").status == 2)  // no --secret-file
        #expect(try run("--help").status == 0)
    }

    /// Inspecting cookies copied from Python apps, using the public vectors.
    @Test func inspectsCompatCookies() throws {
        let secret = "pub-primary-secret-2f6c0a9e51d84b7c93e1a0f4d2b8c6e7"
        try Data(secret.utf8).write(to: directory.appendingPathComponent("secret.txt"))
        let flask = try run("cookie", "verify", "--format", "flask", "--secret-file", "secret.txt", "--max-age", "999999999",
                            "eyJjc3JmX3Rva2VuIjoiNTg5NDcyOGU1OWRlY2I0YmE5MWQ1ZmJiNjYzZGRiNjZiMWRiMDhmNCJ9.ZfvhNw.ZrQCqQfMfYaDb1IgNIUyzNpYjB8")
        #expect(flask.status == 0)
        #expect(flask.stdout == #"{"csrf_token":"5894728e59decb4ba91d5fbb663ddb66b1db08f4"}"#)
        let tornado = try run("cookie", "verify", "--format", "tornado-v2", "--secret-file", "secret.txt", "--name", "session", "--max-age", "999999999",
                              "2|1:0|10:1703000000|7:session|8:aGVsbG8=|a31c4cd6365fdab335b4c617583381f47ede1c09289fd71018ea6eba7e508422")
        #expect(tornado.status == 0)
        #expect(tornado.stdout == "hello")
        let django = try run("cookie", "verify", "--format", "django-cookie", "--secret-file", "secret.txt", "--name", "session",
                             "hello:1sKkQS:ABYT39qwihrkCgWq8e2iakCI1oPXLwiA6lJnYdawvqI")
        #expect(django.status == 0)
        #expect(django.stdout == "hello")
        let forged = try run("cookie", "verify", "--format", "django-cookie", "--secret-file", "secret.txt", "--name", "session",
                             "hellO:1sKkQS:ABYT39qwihrkCgWq8e2iakCI1oPXLwiA6lJnYdawvqI")
        #expect(forged.status == 1)
        // "tornado" is an alias of tornado-v2.
        let tornadoSigned = try run("cookie", "sign", "--format", "tornado", "--secret-file", "secret.txt", "--name", "user", "dave")
        #expect(tornadoSigned.stdout.hasPrefix("2|1:0|10:"))
        #expect(try run("cookie", "verify", "--format", "tornado-v2", "--secret-file", "secret.txt", "--name", "user", tornadoSigned.stdout).stdout == "dave")
        // And signing in a compat format round-trips through verify.
        let signed = try run("cookie", "sign", "--format", "itsdangerous-serializer", "--secret-file", "secret.txt", #"{"user":"dave"}"#)
        #expect(try run("cookie", "verify", "--format", "itsdangerous-serializer", "--secret-file", "secret.txt", signed.stdout).stdout == #"{"user":"dave"}"#)
    }
}
