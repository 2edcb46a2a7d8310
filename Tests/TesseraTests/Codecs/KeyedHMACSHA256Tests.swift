import Crypto
import Foundation
import Testing
@testable import Tessera

/// V-10: the precomputed HMAC state must equal swift-crypto's HMAC<SHA256>.
@Suite struct KeyedHMACSHA256Tests {
    /// RFC 4231 test cases 1, 2, 6 and 7 (keys of 20, 4 and 131 bytes).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func test_V_10_rfc4231(key: String, message: String, expected: String) {
        let keyed = KeyedHMACSHA256(key: SymmetricKey(data: Hex.decode(key)!))
        let bytes = Hex.decode(message)!
        let split = bytes.count / 3
        let mac = bytes[..<split].withUnsafeBytes { first in bytes[split...].withUnsafeBytes { keyed.authenticationCode(first, $0) } }
        #expect(Hex.encode(mac) == expected)
    }

    @Test func matchesSwiftCryptoWithAPrefix() {
        var random = TestRandom(seed: 4231)
        for _ in 0..<200 {
            let key = SymmetricKey(data: SecureRandom.bytes(Int(random.next() % 100) + 1, using: &random))
            let prefix = SecureRandom.bytes(Int(random.next() % 80), using: &random)
            let first = SecureRandom.bytes(Int(random.next() % 70), using: &random)
            let second = SecureRandom.bytes(Int(random.next() % 300), using: &random)
            let keyed = KeyedHMACSHA256(key: key).absorbing(prefix)
            let ours = first.withUnsafeBytes { a in second.withUnsafeBytes { keyed.authenticationCode(a, $0) } }
            let reference = HMAC<SHA256>.authenticationCode(for: prefix + first + second, using: key)
            #expect(Array(ours) == Array(reference))
        }
    }
}
