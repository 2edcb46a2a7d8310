import Foundation
import Synchronization
import Testing
@testable import Tessera

/// Session IDs, handles and lookup keys: entropy, uniqueness, shape checks,
/// and that none of them ever prints the secret cookie value
/// (../shared/security/CHECKLIST.md rows ASVS-7.2.3, CS-S1, CS-S2, CS-S4).
@Suite("Session identifiers")
struct SessionIdentifierTests {
    // MARK: ASVS-7.2.3 / CS-S1: entropy, uniqueness, injected RNG

    @Test("ASVS-7.2.3 / CS-S1: an ID is 43 base64url characters carrying 32 random bytes")
    func ASVS_7_2_3_idShape() throws {
        for _ in 0..<1_000 {
            let id = SessionID()
            #expect(id.cookieValue.utf8.count == 43)
            #expect(SessionID.cookieValueLength == 43)
            let decoded = try #require(Base64.decode(id.cookieValue, .canonicalURLSafe))
            #expect(decoded.count == 32)
            #expect(decoded.count * 8 >= 128, "at least 128 bits of entropy (we use 256)")
            #expect(id.cookieValue.utf8.allSatisfy { Base64.urlSafeAlphabet.contains($0) })
            // The value round-trips through the parser the manager uses.
            #expect(SessionID(cookieValue: id.cookieValue) == id)
        }
    }

    @Test("ASVS-7.2.3 / CS-S1: 100 000 IDs from the system CSPRNG have no duplicates")
    func ASVS_7_2_3_noDuplicates() {
        let count = 100_000
        var seen = Set<String>(minimumCapacity: count)
        var byteHistogram = [Int](repeating: 0, count: 256)
        for _ in 0..<count {
            let id = SessionID()
            seen.insert(id.cookieValue)
            for byte in Base64.decode(id.cookieValue, .canonicalURLSafe) ?? [] { byteHistogram[Int(byte)] += 1 }
        }
        #expect(seen.count == count)
        // A coarse sanity check on the generator: 3.2 M bytes, every byte
        // value appears about 12 500 times. A constant or badly biased
        // source (all zero, only ASCII…) fails this by a wide margin.
        let expected = Double(count * SessionID.byteCount) / 256
        #expect(byteHistogram.allSatisfy { abs(Double($0) - expected) < expected * 0.1 })
    }

    @Test("ASVS-7.2.3: the RNG is injected: the same seed gives the same ID, another seed another")
    func ASVS_7_2_3_injectedRandomIsReproducible() {
        let first = SessionID(random: SeededRandom(seed: 42).source)
        let again = SessionID(random: SeededRandom(seed: 42).source)
        let other = SessionID(random: SeededRandom(seed: 43).source)
        #expect(first == again)
        #expect(first.cookieValue == again.cookieValue)
        #expect(first != other)
        // One source draws a fresh ID each time.
        let source = SeededRandom(seed: 42).source
        let drawn = (0..<3).map { _ in SessionID(random: source).cookieValue }
        #expect(Set(drawn).count == 3)
        #expect(drawn[0] == first.cookieValue)
        // The ID is exactly the source's bytes, base64url-encoded.
        #expect(first.cookieValue == Base64.urlSafeEncode(SeededRandom(seed: 42).bytes(32)))
    }

    @Test("ASVS-7.2.3: a manager draws its IDs from the injected RNG, and from .system by default")
    func ASVS_7_2_3_managerUsesInjectedRandom() async throws {
        let seeded = SessionManager(store: MemorySessionStore(), clock: ManualWallClock(), random: SeededRandom(seed: 7).source)
        let browser = Browser()
        try await browser.request(seeded) { try $0.set(.note, "x") }
        // The first draw of a new session is its ID.
        #expect(browser.sessionCookie == SessionID(random: SeededRandom(seed: 7).source).cookieValue)

        // Default: .system. Two managers given no RNG (and two sessions of
        // one) never issue the same ID, and never the seeded one.
        let store = MemorySessionStore()
        let defaults = [SessionManager(store: store, clock: ManualWallClock()), SessionManager(store: store, clock: ManualWallClock())]
        var issued = Set<String>()
        for manager in defaults {
            for _ in 0..<2 {
                let client = Browser()
                try await client.request(manager) { try $0.set(.note, "x") }
                issued.insert(try #require(client.sessionCookie))
            }
        }
        #expect(issued.count == 4)
        #expect(!issued.contains(SessionID(random: SeededRandom(seed: 7).source).cookieValue))
        #expect(SessionID() != SessionID())
    }

    // MARK: CS-S2: the ID is meaningless

    @Test("CS-S2: the cookie of alice@example.com carries no trace of her user ID", arguments: StoreKind.allCases)
    func CS_S2_idCarriesNoUserData(kind: StoreKind) async throws {
        try await withStore(kind) { subject in
            let user = "alice@example.com"
            let manager = subject.manager(clock: ManualWallClock())
            let browser = Browser()
            try await browser.request(manager) { try await manager.logIn(&$0, userID: user, method: "password") }
            #expect(try await browser.request(manager).session.userID == user, "the login took")
            let cookieValues = browser.jar.values
            #expect(!cookieValues.isEmpty)
            let userBytes = Array(user.utf8)
            // Every alignment of the user ID inside a longer base64 text, in
            // both alphabets, and the plain and percent-encoded forms.
            var forbidden: Set<String> = [user, "alice", user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user]
            for shift in 0..<3 {
                let shifted = [UInt8](repeating: 0, count: shift) + userBytes
                let encoded = Base64.urlSafeEncode(shifted)
                // Drop the characters that mix in the padding bytes or the tail.
                let inner = String(encoded.dropFirst(shift == 0 ? 0 : shift + 1).dropLast(2))
                forbidden.insert(inner)
                forbidden.insert(inner.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"))
            }
            for value in cookieValues {
                for needle in forbidden {
                    #expect(!value.contains(needle) || needle.count < 4, "cookie contains \(needle)")
                }
            }
            if kind.isServerSide {
                let value = try #require(browser.sessionCookie)
                let decoded = try #require(Base64.decode(value, .canonicalURLSafe))
                #expect(decoded.count == SessionID.byteCount)
                #expect(!decoded.containsSubsequence(userBytes))
                #expect(!decoded.containsSubsequence(Array("alice".utf8)))
                // The server files it under the hash only: the record is found by the hash, and its key bytes are not the cookie's.
                let record = try #require(try await subject.stored(value))
                #expect(record.key.bytes != decoded)
            }
        }
    }

    // MARK: Redaction: no description carries the cookie value

    @Test("ASVS-16.2.5 / CS-S14: SessionID, SessionHandle and SessionLookupKey never print the cookie value")
    func ASVS_16_2_5_descriptionsAreRedacted() throws {
        for _ in 0..<200 {
            let id = SessionID()
            let handle = SessionHandle()
            let key = id.lookupKey
            let secret = id.cookieValue
            let renderings: [String] = [
                "\(id)", String(describing: id), String(reflecting: id), id.description, id.debugDescription,
                "\([id])", "\(Optional(id) as Any)", "\(["k": id])", "\((id, 1))",
                "\(handle)", String(reflecting: handle),
                "\(key)", String(reflecting: key), key.logTag,
            ]
            for text in renderings {
                #expect(!text.contains(secret))
                // Not even a long piece of it.
                #expect(!text.contains(String(secret.prefix(16))))
                #expect(!text.contains(String(secret.suffix(16))))
            }
            #expect("\(id)" == "SessionID(redacted)")
            #expect(String(reflecting: id) == "SessionID(redacted)")
            #expect("\(key)" == "session:\(key.logTag)")
            #expect(key.logTag.count == 8)
            #expect(key.logTag == Hex.encode(key.bytes.prefix(4)))
        }
    }

    @Test("ASVS-16.2.5: a loaded Session and a SessionRecord print no cookie value")
    func ASVS_16_2_5_sessionAndRecordPrintNoID() async throws {
        let store = MemorySessionStore()
        let manager = SessionManager(store: store, clock: ManualWallClock())
        let browser = Browser()
        try await browser.request(manager) { try await manager.logIn(&$0, userID: "alice", method: "password") }
        let secret = try #require(browser.sessionCookie)
        let session = try await browser.request(manager).session
        #expect(session.origin == .resumed)
        let id = try #require(SessionID(cookieValue: secret))
        let record = try #require(try await store.load(id.lookupKey))
        for text in ["\(session)", String(reflecting: session), "\(record)", String(reflecting: record), "\(session.handle as Any)"] {
            #expect(!text.contains(secret))
        }
    }

    @Test("ASVS-16.2.5: dump() and Mirror, used by debuggers and some loggers, don't reveal the cookie value")
    func ASVS_16_2_5_mirrorIsRedacted() {
        let id = SessionID()
        var dumped = ""
        dump(id, to: &dumped)
        let mirrored = Mirror(reflecting: id).children.map { "\($0.value)" }.joined()
        #expect(!dumped.contains(id.cookieValue))
        #expect(!mirrored.contains(id.cookieValue))
    }

    // MARK: Round trips and parsing

    @Test("SessionLookupKey round-trips through bytes; other lengths are refused")
    func lookupKeyRoundTrip() {
        var seen = Set<SessionLookupKey>()
        for _ in 0..<500 {
            let id = SessionID()
            let key = id.lookupKey
            #expect(key == id.lookupKey, "deterministic")
            #expect(key.bytes.count == SessionLookupKey.byteCount)
            let rebuilt = SessionLookupKey(bytes: key.bytes)
            #expect(rebuilt == key)
            #expect(rebuilt?.bytes == key.bytes)
            #expect(rebuilt.map { $0.hashValue } == key.hashValue)
            #expect(SessionLookupKey(bytes: key.bytes[...]) == key, "any collection of bytes")
            #expect(SessionLookupKey(bytes: key.bytes.dropLast()) == nil)
            #expect(SessionLookupKey(bytes: key.bytes + [0]) == nil)
            seen.insert(key)
        }
        #expect(seen.count == 500)
        #expect(SessionLookupKey(bytes: [UInt8]()) == nil)
        // A byte changed anywhere makes another key.
        let key = SessionID().lookupKey
        for index in 0..<SessionLookupKey.byteCount {
            var bytes = key.bytes
            bytes[index] ^= 0x01
            #expect(SessionLookupKey(bytes: bytes) != key)
            #expect(SessionLookupKey(bytes: bytes)?.bytes == bytes)
        }
        // The key is not the ID's bytes: a store never holds the preimage.
        let id = SessionID()
        #expect(id.lookupKey.bytes != Base64.decode(id.cookieValue, .canonicalURLSafe))
    }

    @Test("SessionHandle round-trips through bytes and its 22-character text; other shapes are refused")
    func handleRoundTrip() {
        for _ in 0..<500 {
            let handle = SessionHandle()
            #expect(handle.bytes.count == 16)
            #expect(SessionHandle(bytes: handle.bytes) == handle)
            #expect(handle.description.utf8.count == 22)
            #expect(SessionHandle(handle.description) == handle)
            #expect(SessionHandle(bytes: handle.bytes.dropLast()) == nil)
            #expect(SessionHandle(handle.description + "A") == nil)
            #expect(SessionHandle(String(handle.description.dropLast())) == nil)
        }
        #expect(SessionHandle(random: SeededRandom(seed: 1).source) == SessionHandle(random: SeededRandom(seed: 1).source))
    }

    @Test("CS-S4: SessionID(cookieValue:) accepts only the canonical 43-character spelling")
    func CS_S4_cookieValueShapeCheck() throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<200 {
            let valid = SessionID().cookieValue
            #expect(SessionID(cookieValue: valid)?.cookieValue == valid)
            // Lengths 42 and 44 (and the padded form).
            #expect(SessionID(cookieValue: String(valid.dropLast())) == nil)
            #expect(SessionID(cookieValue: valid + "A") == nil)
            #expect(SessionID(cookieValue: valid + "=") == nil)
            #expect(SessionID(cookieValue: String(valid.dropLast()) + "=") == nil)
            // The last character holds 4 data bits and 2 unused bits that
            // must be zero: the three other spellings of the same bytes are refused.
            let last = try #require(alphabet.firstIndex(of: valid.last!))
            #expect(last % 4 == 0, "the encoder writes canonical values")
            for bump in 1...3 {
                let other = String(valid.dropLast()) + String(alphabet[last + bump])
                #expect(SessionID(cookieValue: other) == nil, "non-canonical \(other.suffix(1))")
            }
            // The standard alphabet and padding characters, anywhere.
            for position in [0, 20, 42] {
                for intruder: Character in ["+", "/", "=", " ", ".", "%", "\0", "é"] {
                    var characters = Array(valid)
                    characters[position] = intruder
                    #expect(SessionID(cookieValue: String(characters)) == nil)
                }
            }
        }
        // A value of the right length that decodes to the standard alphabet's
        // form of a real ID is refused too.
        let standard = SessionID(random: RandomSource { [UInt8](repeating: 0xFB, count: $0) }).cookieValue
        #expect(standard.contains("-") || standard.contains("_"))
        let swapped = standard.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(SessionID(cookieValue: swapped) == nil)
        #expect(SessionID(cookieValue: standard) != nil)
        #expect(SessionID(cookieValue: "") == nil)
        #expect(SessionID(cookieValue: String(repeating: "A", count: 43)) != nil, "all-zero bytes is still the right shape")
    }
}

/// A reproducible ``RandomSource``: SplitMix64 (``TestRandom``) behind a lock,
/// so the `@Sendable` fill closure can draw from it.
fileprivate final class SeededRandom: Sendable {
    private let generator: Mutex<TestRandom>

    init(seed: UInt64) { generator = Mutex(TestRandom(seed: seed)) }

    func bytes(_ count: Int) -> [UInt8] {
        generator.withLock { rng in (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) } }
    }

    var source: RandomSource { RandomSource { [self] count in self.bytes(count) } }
}

fileprivate extension Array where Element == UInt8 {
    /// Whether `needle` occurs as a contiguous run.
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
