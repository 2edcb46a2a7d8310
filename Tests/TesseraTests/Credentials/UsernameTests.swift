import Testing
import Tessera

struct UsernameTests {
    @Test("Login names are case-insensitive ASCII from a small alphabet, 1 to 64 characters")
    func usernameRules() {
        #expect(Username("Alice.Smith+work@Example-1.org")?.value == "alice.smith+work@example-1.org")
        #expect(Username("a")?.value == "a")
        #expect(Username(String(repeating: "x", count: 64)) != nil)
        for refused in ["", String(repeating: "x", count: 65), "al ice", "alice\n", "<script>", "аdmin" /* Cyrillic а */, "ad\u{0}min", "bob/../x", "Ǎlice"] {
            #expect(Username(refused) == nil, "\(refused.debugDescription)")
        }
    }
}
