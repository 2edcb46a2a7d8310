import Foundation
@testable import Tessera

/// Deterministic keys and a seeded generator for tests.
enum TestKeys {
    static func secret(_ seed: UInt8) -> SecretKey {
        try! SecretKey(bytes: [UInt8](repeating: seed, count: 32))
    }

    static func ring(_ ids: String..., seedBase: UInt8 = 1) -> KeyRing {
        try! KeyRing(ids.enumerated().map { try KeyRing.Entry(id: $0.element, secret: secret(seedBase + UInt8($0.offset))) })
    }

    static let epoch = Date(timeIntervalSince1970: 1_763_750_000)
}

/// SplitMix64: a small seeded generator so property tests are reproducible.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
