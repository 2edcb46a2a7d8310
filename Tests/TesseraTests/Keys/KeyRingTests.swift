import Crypto
import Foundation
import Testing
@testable import Tessera

@Suite("Keys: SecretKey, KeyRing, KeyDerivation, KeyRingFile")
struct KeyRingTests {
    // MARK: - Helpers

    /// Recognisable, distinct secret bytes.
    private static func secretBytes(_ seed: UInt8, count: Int = 32) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 7 &+ 11) }
    }

    private static func key(_ seed: UInt8) throws -> SecretKey {
        try SecretKey(bytes: secretBytes(seed))
    }

    private static func bytes(of key: SymmetricKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    private static func bytes(of key: SecretKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    /// Every textual spelling of `secret` a log line could carry.
    private static func spellings(of secret: [UInt8]) -> [String] {
        let base64url = Base64.urlSafeEncode(secret)
        let standard = Base64.standardEncode(secret)
        let hex = Hex.encode(secret)
        return [base64url, standard, hex, hex.uppercased(), String(base64url.prefix(12)), String(hex.prefix(16)), String(standard.prefix(12))]
    }

    private static func expectNoLeak(_ text: String, of secret: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for spelling in spellings(of: secret) {
            #expect(!text.contains(spelling), "\(what) leaks the secret as \(spelling)", sourceLocation: sourceLocation)
        }
    }

    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    private static func json(_ object: String) -> Data { Data(object.utf8) }

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-keyring-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func posixMode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber)
        return mode.intValue & 0o777
    }

    // MARK: - SecretKey

    @Test func test_ASVS_11_2_3_short_key_is_refused() throws {
        #expect(SecretKey.minimumByteCount == 32)
        #expect(throws: KeyError.tooShort(byteCount: 31)) { try SecretKey(bytes: Self.secretBytes(1, count: 31)) }
        #expect(throws: KeyError.tooShort(byteCount: 0)) { try SecretKey(bytes: [UInt8]()) }
        #expect(throws: KeyError.tooShort(byteCount: 16)) { try SecretKey(SymmetricKey(size: .bits128)) }
        #expect(throws: KeyError.tooShort(byteCount: 24)) { try SecretKey(bytes: Data(count: 24)) }

        let exact = try SecretKey(bytes: Self.secretBytes(1))
        #expect(exact.byteCount == 32)
        #expect(Self.bytes(of: exact) == Self.secretBytes(1))
        #expect(try SecretKey(bytes: Self.secretBytes(1, count: 64)).byteCount == 64)
        #expect(try SecretKey(SymmetricKey(size: .bits256)).byteCount == 32)

        let generated = SecretKey.generate()
        #expect(generated.byteCount == 32)
        #expect(Self.bytes(of: generated) != Self.bytes(of: SecretKey.generate()))
        #expect(Self.bytes(of: generated) != [UInt8](repeating: 0, count: 32))

        // The error message never shows key material.
        #expect(KeyError.tooShort(byteCount: 31).description.contains("31 bytes"))
    }

    @Test func secretKeyDescriptionsNeverShowTheSecret() throws {
        let secret = Self.secretBytes(9)
        let key = try SecretKey(bytes: secret)
        for (text, what) in [
            (String(describing: key), "String(describing:)"),
            ("\(key)", "interpolation"),
            (String(reflecting: key), "String(reflecting:)"),
            (key.debugDescription, "debugDescription"),
            ("\([key])", "array interpolation"),
            ("\(Optional(key) as Any)", "optional interpolation"),
        ] {
            Self.expectNoLeak(text, of: secret, what)
            #expect(text.contains("redacted"), "\(what): \(text)")
        }
        #expect(key.description == "SecretKey(32 bytes, redacted)")
    }

    @Test func secretKeyMirrorDoesNotShowTheSecret() throws {
        let secret = Self.secretBytes(10)
        let key = try SecretKey(bytes: secret)
        var dumped = ""
        dump(key, to: &dumped)
        Self.expectNoLeak(dumped, of: secret, "dump(SecretKey)")
        // The bytes as decimal numbers, as a Mirror of an array would print them.
        #expect(!dumped.contains(secret.prefix(6).map(String.init).joined(separator: "\n")))
    }

    @Test func keyRingDescriptionsNeverShowTheSecrets() throws {
        let first = Self.secretBytes(21)
        let second = Self.secretBytes(22)
        let ring = try KeyRing([
            KeyRing.Entry(id: "old", secret: SecretKey(bytes: first), notAfter: Self.t0),
            KeyRing.Entry(id: "new", secret: SecretKey(bytes: second), notBefore: Self.t0),
        ])
        #expect(ring.description == "KeyRing(old, new)")
        for (text, what) in [
            (String(describing: ring), "String(describing: ring)"),
            ("\(ring)", "ring interpolation"),
            (String(reflecting: ring), "String(reflecting: ring)"),
            ("\(ring.entries)", "entries interpolation"),
            (String(describing: ring.entries[0]), "entry description"),
            ("\(try ring.primary(at: Self.t0))", "primary interpolation"),
        ] {
            Self.expectNoLeak(text, of: first, what)
            Self.expectNoLeak(text, of: second, what)
        }
        #expect(ring.entries[0].description == "KeyRing.Entry(id: old, secret: redacted)")
    }

    // MARK: - KeyRing ids and construction

    @Test func keyRingRejectsDuplicateAndInvalidIDs() throws {
        #expect(throws: KeyError.duplicateKeyID("k1")) {
            try KeyRing([
                KeyRing.Entry(id: "k1", secret: Self.key(1)),
                KeyRing.Entry(id: "k2", secret: Self.key(2)),
                KeyRing.Entry(id: "k1", secret: Self.key(3)),
            ])
        }
        #expect(throws: KeyError.emptyRing) { try KeyRing([]) }

        let tooLong = String(repeating: "a", count: 33)
        for id in ["", tooLong, "a.b", "a b", "a/b", "a:b", "é", "k1\n", "a=b", "a;b", "a~b"] {
            #expect(throws: KeyError.invalidKeyID(id), "id \(id.debugDescription)") {
                try KeyRing.Entry(id: id, secret: Self.key(1))
            }
            #expect(!KeyRing.isValidKeyID(id), "id \(id.debugDescription)")
            #expect(throws: KeyError.invalidKeyID(id)) { try KeyRing(single: Self.key(1), id: id) }
        }
        for id in ["k", "K1", "k20261121-3fa9", "key_2", String(repeating: "Z", count: 32), "-_-", "0"] {
            #expect(KeyRing.isValidKeyID(id), "id \(id)")
            #expect(throws: Never.self) { try KeyRing.Entry(id: id, secret: Self.key(1)) }
        }
        #expect(KeyRing.maximumKeyIDLength == 32)

        // notAfter must be after notBefore.
        #expect(throws: KeyError.invalidWindow(keyID: "k1")) {
            try KeyRing.Entry(id: "k1", secret: Self.key(1), notBefore: Self.t0, notAfter: Self.t0)
        }
        #expect(throws: KeyError.invalidWindow(keyID: "k1")) {
            try KeyRing.Entry(id: "k1", secret: Self.key(1), notBefore: Self.t0, notAfter: Self.t0 - 1)
        }

        // Lookup by id, whatever the dates.
        let ring = try KeyRing([KeyRing.Entry(id: "a", secret: Self.key(1)), KeyRing.Entry(id: "b", secret: Self.key(2))])
        #expect(ring.entry(id: "b").map { Self.bytes(of: $0.secret) } == Self.secretBytes(2))
        #expect(ring.entry(id: "c") == nil)
        #expect(ring.entries.map(\.id) == ["a", "b"])
        let single = try KeyRing(single: Self.key(5))
        #expect(single.entries.map(\.id) == ["k1"])
    }

    // MARK: - Primary selection

    @Test func keyRingPrimarySelection() throws {
        let day: TimeInterval = 86_400
        let ring = try KeyRing([
            KeyRing.Entry(id: "undated", secret: Self.key(1)),
            KeyRing.Entry(id: "newer", secret: Self.key(2), notBefore: Self.t0 - 10 * day),
            KeyRing.Entry(id: "older", secret: Self.key(3), notBefore: Self.t0 - 20 * day),
            KeyRing.Entry(id: "future", secret: Self.key(4), notBefore: Self.t0 + day),
        ])
        // Latest notBefore within its window wins, wherever it is listed.
        #expect(try ring.primary(at: Self.t0).id == "newer")
        // Before "newer" starts, "older" is the latest eligible.
        #expect(try ring.primary(at: Self.t0 - 15 * day).id == "older")
        // Before any dated key starts, the undated key signs.
        #expect(try ring.primary(at: Self.t0 - 30 * day).id == "undated")
        // A future key verifies at once (entry(id:)) but signs only from notBefore.
        #expect(ring.entry(id: "future") != nil)
        #expect(try ring.primary(at: Self.t0 + day - 1).id == "newer")
        #expect(try ring.primary(at: Self.t0 + day).id == "future")

        // A key past notAfter does not sign.
        let retiring = try KeyRing([
            KeyRing.Entry(id: "base", secret: Self.key(1)),
            KeyRing.Entry(id: "retired", secret: Self.key(2), notBefore: Self.t0 - day, notAfter: Self.t0),
        ])
        #expect(try retiring.primary(at: Self.t0 - 1).id == "retired")
        #expect(try retiring.primary(at: Self.t0).id == "base")
        #expect(retiring.entries[1].maySign(at: Self.t0 - day))
        #expect(!retiring.entries[1].maySign(at: Self.t0 - day - 1))
        #expect(!retiring.entries[1].maySign(at: Self.t0))

        // No eligible key.
        let expired = try KeyRing([
            KeyRing.Entry(id: "gone", secret: Self.key(1), notAfter: Self.t0),
            KeyRing.Entry(id: "later", secret: Self.key(2), notBefore: Self.t0 + day),
        ])
        #expect(throws: KeyError.noActiveKey) { try expired.primary(at: Self.t0) }
        #expect(try expired.primary(at: Self.t0 - 1).id == "gone")

        // A tie goes to the key listed last, both for undated and dated keys.
        let tieUndated = try KeyRing([KeyRing.Entry(id: "a", secret: Self.key(1)), KeyRing.Entry(id: "b", secret: Self.key(2))])
        #expect(try tieUndated.primary(at: Self.t0).id == "b")
        let tieDated = try KeyRing([
            KeyRing.Entry(id: "a", secret: Self.key(1), notBefore: Self.t0 - day),
            KeyRing.Entry(id: "b", secret: Self.key(2), notBefore: Self.t0 - day),
            KeyRing.Entry(id: "c", secret: Self.key(3)),
        ])
        #expect(try tieDated.primary(at: Self.t0).id == "b")
    }

    @Test func test_ASVS_13_3_4_retired_key_verifies_but_does_not_sign() throws {
        let retireAt = Self.t0
        let ring = try KeyRing([
            KeyRing.Entry(id: "old", secret: Self.key(1), notAfter: retireAt),
            KeyRing.Entry(id: "new", secret: Self.key(2), notBefore: retireAt),
        ])
        let codec = SignedValueCodec(ring: ring, purpose: KeyPurpose("session"))

        // Made before the switch: signed by "old".
        let earlier = try codec.sign("alice", name: "sid", now: retireAt - 3600)
        #expect(earlier.hasPrefix("S1.old."))
        // After the switch: the old key no longer signs …
        let later = try codec.sign("alice", name: "sid", now: retireAt + 3600)
        #expect(later.hasPrefix("S1.new."))
        // … but its tokens still verify.
        let verdict = codec.verifyString(earlier, name: "sid", maxAge: 86_400, now: retireAt + 3600)
        #expect(verdict.value == "alice")
        if case .valid(let verified) = verdict { #expect(verified.keyID == "old") } else { Issue.record("expected valid, got \(verdict.summary)") }
        #expect(codec.verifyString(later, name: "sid", maxAge: 86_400, now: retireAt + 3600).value == "alice")

        // Once "old" is removed from the ring, its tokens are refused.
        let trimmedRing = try KeyRing([KeyRing.Entry(id: "new", secret: Self.key(2), notBefore: retireAt)])
        let trimmed = SignedValueCodec(ring: trimmedRing, purpose: KeyPurpose("session"))
        #expect(trimmed.verify(earlier, name: "sid", maxAge: 86_400, now: retireAt + 3600).summary == "unknown key")

        // A future key verifies before it signs.
        let future = try KeyRing([
            KeyRing.Entry(id: "cur", secret: Self.key(3)),
            KeyRing.Entry(id: "next", secret: Self.key(4), notBefore: Self.t0 + 86_400),
        ])
        let futureCodec = SignedValueCodec(ring: future, purpose: KeyPurpose("session"))
        #expect(try futureCodec.sign("x", name: "sid", now: Self.t0).hasPrefix("S1.cur."))
        let byNext = try futureCodec.sign("x", name: "sid", now: Self.t0 + 86_400)
        #expect(byNext.hasPrefix("S1.next."))
        // A server whose clock is 30 s behind accepts it.
        #expect(futureCodec.verifyString(byNext, name: "sid", maxAge: 3600, now: Self.t0 + 86_400 - 30).value == "x")
    }

    // MARK: - KeyDerivation

    @Test func keyDerivationSeparatesPurposesAndContexts() throws {
        let master = try Self.key(1)
        let session = Self.bytes(of: KeyDerivation.subKey(of: master, context: "signed-value", purpose: KeyPurpose("session")))
        let again = Self.bytes(of: KeyDerivation.subKey(of: master, context: "signed-value", purpose: KeyPurpose("session")))
        let csrf = Self.bytes(of: KeyDerivation.subKey(of: master, context: "signed-value", purpose: KeyPurpose("csrf")))
        let sealed = Self.bytes(of: KeyDerivation.subKey(of: master, context: "sealed-value", purpose: KeyPurpose("session")))
        let otherMaster = Self.bytes(of: KeyDerivation.subKey(of: try Self.key(2), context: "signed-value", purpose: KeyPurpose("session")))

        #expect(session.count == 32)
        #expect(session == again)
        #expect(session != csrf)
        #expect(session != sealed)
        #expect(session != otherMaster)
        #expect(session != Self.bytes(of: master))

        // The separator keeps (context, purpose) pairs from sliding into each other.
        let ab = Self.bytes(of: KeyDerivation.subKey(of: master, context: "a", purpose: KeyPurpose("bc")))
        let abc = Self.bytes(of: KeyDerivation.subKey(of: master, context: "ab", purpose: KeyPurpose("c")))
        #expect(ab != abc)

        // Deterministic for a fixed master: HKDF-SHA256 with the documented salt and info.
        let expected = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Self.secretBytes(1)),
            salt: Array("tessera/hkdf/v1".utf8),
            info: Array("signed-value".utf8) + [0] + Array("session".utf8),
            outputByteCount: 32
        )
        #expect(session == Self.bytes(of: expected))
        #expect(KeyPurpose("session").description == "session")
    }

    // MARK: - KeyRingFile

    @Test func keyRingFileEncodeDecodeRoundTrip() throws {
        let ring = try KeyRing([
            KeyRing.Entry(id: "k20261121-3fa9", secret: SecretKey(bytes: Self.secretBytes(1)), notBefore: Self.t0, notAfter: Self.t0 + 86_400),
            KeyRing.Entry(id: "k2", secret: SecretKey(bytes: Self.secretBytes(2, count: 64))),
        ])
        let data = KeyRingFile.encode(ring)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"version\" : 1"))
        #expect(text.contains(Base64.urlSafeEncode(Self.secretBytes(1))))
        #expect(text.contains("2027-01-15T08:00:00Z"))

        let decoded = try KeyRingFile.decode(data)
        #expect(decoded.entries.map(\.id) == ["k20261121-3fa9", "k2"])
        #expect(decoded.entries.map { Self.bytes(of: $0.secret) } == [Self.secretBytes(1), Self.secretBytes(2, count: 64)])
        #expect(decoded.entries[0].notBefore == Self.t0)
        #expect(decoded.entries[0].notAfter == Self.t0 + 86_400)
        #expect(decoded.entries[1].notBefore == nil)
        #expect(decoded.entries[1].notAfter == nil)
        #expect(KeyRingFile.encode(decoded) == data)

        // Tokens made with the original verify with the decoded ring.
        let token = try SignedValueCodec(ring: ring, purpose: KeyPurpose("p")).sign("v", name: "n", now: Self.t0 + 10)
        #expect(SignedValueCodec(ring: decoded, purpose: KeyPurpose("p")).verifyString(token, name: "n", maxAge: 60, now: Self.t0 + 10).value == "v")
    }

    @Test func keyRingFileDecodesHandWrittenJSON() throws {
        let secret = Base64.urlSafeEncode(Self.secretBytes(3))
        let ring = try KeyRingFile.decode(Self.json("""
        {"version": 1, "keys": [
          {"id": "a", "secret": "\(secret)", "notBefore": "2026-11-21T20:00:00Z", "notAfter": null},
          {"id": "b", "secret": "\(secret)=="}
        ]}
        """))
        #expect(ring.entries.map(\.id) == ["a", "b"])
        #expect(ring.entries[0].notBefore == Date(timeIntervalSince1970: 1_795_291_200))
        #expect(ring.entries[0].notAfter == nil)
        // Python peers pad their base64; the lenient decoder accepts it.
        #expect(Self.bytes(of: ring.entries[1].secret) == Self.secretBytes(3))
    }

    /// A ring built in code (for example `notBefore: Date().addingTimeInterval(3600)`)
    /// has dates with a fraction of a second; saving and loading must keep
    /// them, or at least keep a valid ring loadable.
    @Test func keyRingFileRoundTripKeepsSubSecondWindow() throws {
        // A date with a fraction keeps its value through encode → decode.
        let stamped = Date(timeIntervalSince1970: 1_800_000_000.25)
        let single = try KeyRing([KeyRing.Entry(id: "k1", secret: Self.key(1), notBefore: stamped)])
        let decodedSingle = try KeyRingFile.decode(KeyRingFile.encode(single))
        let drift = try #require(decodedSingle.entries.first?.notBefore).timeIntervalSince(stamped)
        #expect(abs(drift) < 0.001, "notBefore moved by \(drift) s through KeyRingFile")

        // A valid window inside one second must still load after saving.
        let notBefore = Date(timeIntervalSince1970: 1_800_000_000.25)
        let notAfter = Date(timeIntervalSince1970: 1_800_000_000.75)
        let ring = try KeyRing([KeyRing.Entry(id: "k1", secret: Self.key(1), notBefore: notBefore, notAfter: notAfter)])
        let data = KeyRingFile.encode(ring)
        #expect(throws: Never.self, "a ring that was valid when saved must load") { try KeyRingFile.decode(data) }
    }

    @Test func keyRingFileLoadsFromEnvironment() throws {
        let ring = try KeyRing([KeyRing.Entry(id: "env", secret: Self.key(7))])
        let text = String(decoding: KeyRingFile.encode(ring), as: UTF8.self)
        #expect(KeyRingFile.environmentVariable == "TESSERA_KEY_RING")
        let loaded = try #require(try KeyRingFile.load(environment: ["TESSERA_KEY_RING": text, "OTHER": "x"]))
        #expect(loaded.entries.map(\.id) == ["env"])
        #expect(Self.bytes(of: loaded.entries[0].secret) == Self.secretBytes(7))

        #expect(try KeyRingFile.load(environment: [:]) == nil)
        #expect(try KeyRingFile.load(environment: ["TESSERA_KEY_RING": ""]) == nil)
        #expect(try KeyRingFile.load(environment: ["tessera_key_ring": text]) == nil)
        let error = #expect(throws: KeyError.self) { try KeyRingFile.load(environment: ["TESSERA_KEY_RING": "not json"]) }
        guard case .unreadableRing? = error else {
            Issue.record("expected .unreadableRing, got \(String(describing: error))")
            return
        }
    }

    @Test func keyRingFileSaveCreatesMode0600() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ring.json").path
        let ring = try KeyRing([KeyRing.Entry(id: "k1", secret: Self.key(1), notBefore: Self.t0)])

        try KeyRingFile.save(ring, path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try Self.posixMode(path) == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == KeyRingFile.encode(ring))
        let loaded = try KeyRingFile.load(path: path)
        #expect(loaded.entries.map(\.id) == ["k1"])
        #expect(Self.bytes(of: loaded.entries[0].secret) == Self.secretBytes(1))

        // Replacing a world-readable file leaves a 0600 file, and no temporary files behind.
        let loose = directory.appendingPathComponent("loose.json").path
        #expect(FileManager.default.createFile(atPath: loose, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(try Self.posixMode(loose) == 0o644)
        try KeyRingFile.save(ring, path: loose)
        #expect(try Self.posixMode(loose) == 0o600)
        #expect(try KeyRingFile.load(path: loose).entries.map(\.id) == ["k1"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["loose.json", "ring.json"])

        // A missing directory is an error, not a crash.
        #expect(throws: (any Error).self) { try KeyRingFile.save(ring, path: directory.appendingPathComponent("no/such/dir/ring.json").path) }
        let missing = directory.appendingPathComponent("absent.json").path
        #expect(throws: KeyError.unreadableRing(reason: "cannot read \(missing)")) { try KeyRingFile.load(path: missing) }
    }

    @Test func keyRingFileDecodeErrorsNeverShowTheSecret() throws {
        let secretText = Base64.urlSafeEncode(Self.secretBytes(42))
        let cases: [(String, String, (KeyError) -> Bool)] = [
            ("bad JSON", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)\"", {
                if case .unreadableRing = $0 { return true } else { return false }
            }),
            ("wrong version", "{\"version\": 2, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)\"}]}", {
                if case .unreadableRing(let reason) = $0 { return reason.contains("version 2") } else { return false }
            }),
            ("missing version", "{\"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)\"}]}", {
                if case .unreadableRing = $0 { return true } else { return false }
            }),
            ("secret is a number", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": 12345}]}", {
                if case .unreadableRing = $0 { return true } else { return false }
            }),
            ("bad base64", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)*!\"}]}", {
                $0 == .invalidSecretEncoding(keyID: "k1")
            }),
            ("padding inside", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"AB=C\(secretText)\"}]}", {
                $0 == .invalidSecretEncoding(keyID: "k1")
            }),
            ("short secret", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(Base64.urlSafeEncode(Self.secretBytes(42, count: 31)))\"}]}", {
                $0 == .tooShort(byteCount: 31)
            }),
            ("no keys", "{\"version\": 1, \"keys\": []}", { $0 == .emptyRing }),
            ("duplicate ids", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)\"}, {\"id\": \"k1\", \"secret\": \"\(secretText)\"}]}", {
                $0 == .duplicateKeyID("k1")
            }),
            ("invalid id", "{\"version\": 1, \"keys\": [{\"id\": \"k 1\", \"secret\": \"\(secretText)\"}]}", {
                $0 == .invalidKeyID("k 1")
            }),
            ("inverted window", "{\"version\": 1, \"keys\": [{\"id\": \"k1\", \"secret\": \"\(secretText)\", \"notBefore\": \"2026-01-02T00:00:00Z\", \"notAfter\": \"2026-01-01T00:00:00Z\"}]}", {
                $0 == .invalidWindow(keyID: "k1")
            }),
        ]
        for (what, text, matches) in cases {
            let error = #expect(throws: KeyError.self, "\(what)") { try KeyRingFile.decode(Self.json(text)) }
            guard let error else { continue }
            #expect(matches(error), "\(what): got \(error)")
            let description = error.description
            #expect(!description.contains(String(secretText.prefix(12))), "\(what): \(description)")
            Self.expectNoLeak(description, of: Self.secretBytes(42), what)
            Self.expectNoLeak(String(describing: error), of: Self.secretBytes(42), what)
        }
    }

    @Test func newKeyIDIsValidAndDated() {
        let id = KeyRingFile.newKeyID(at: Date(timeIntervalSince1970: 1_795_291_200))
        #expect(KeyRing.isValidKeyID(id))
        #expect(id.hasPrefix("k20261121-"))
        #expect(id.count == "k20261121-".count + 4)
        #expect(id.dropFirst(10).allSatisfy { "0123456789abcdef".contains($0) })
        // Two ids from the same day differ (with overwhelming probability).
        let ids = Set((0..<20).map { _ in KeyRingFile.newKeyID(at: Date(timeIntervalSince1970: 1_795_291_200)) })
        #expect(ids.count > 1)
    }
}
