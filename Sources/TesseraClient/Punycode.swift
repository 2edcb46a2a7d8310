import Foundation

/// The Punycode encoder of RFC 3492, the bootstring parameters IDNA uses to
/// write a Unicode label in letters, digits and hyphens.
enum Punycode {
    private static let base: UInt32 = 36
    private static let tMin: UInt32 = 1
    private static let tMax: UInt32 = 26
    private static let skew: UInt32 = 38
    private static let damp: UInt32 = 700
    private static let initialBias: UInt32 = 72
    private static let initialN: UInt32 = 0x80
    private static let delimiter: Character = "-"

    /// RFC 3492 encoding of one label's Unicode scalars (without the "xn--" prefix); nil on overflow.
    ///
    /// Basic (ASCII) code points are copied in their original case and
    /// digits are written in lower case; there is no mixed-case annotation.
    static func encode(_ scalars: [Unicode.Scalar]) -> String? {
        var output = ""
        for scalar in scalars where scalar.value < initialN {
            output.unicodeScalars.append(scalar)
        }
        let basicCount = UInt32(output.unicodeScalars.count)
        if basicCount > 0 { output.append(delimiter) }

        var n = initialN
        var delta: UInt32 = 0
        var bias = initialBias
        var handled = basicCount
        let total = UInt32(clamping: scalars.count)
        guard total == scalars.count else { return nil }

        while handled < total {
            // The smallest code point not handled yet; one exists because
            // fewer than `total` have been handled.
            guard let next = scalars.lazy.map(\.value).filter({ $0 >= n }).min() else { return nil }
            // delta += (next - n) * (handled + 1), refusing overflow.
            let (step, stepOverflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            let (advanced, addOverflow) = delta.addingReportingOverflow(step)
            guard !stepOverflow, !addOverflow else { return nil }
            delta = advanced
            n = next

            for scalar in scalars {
                let value = scalar.value
                if value < n {
                    let (incremented, overflow) = delta.addingReportingOverflow(1)
                    guard !overflow else { return nil }
                    delta = incremented
                } else if value == n {
                    // Write delta as a generalized variable-length integer.
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta: delta, pointCount: handled + 1, first: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            let (incremented, overflow) = delta.addingReportingOverflow(1)
            guard !overflow, n < UInt32.max else { return nil }
            delta = incremented
            n += 1
        }
        return output
    }

    /// The bias adaptation function of RFC 3492 §6.1.
    private static func adapt(delta: UInt32, pointCount: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / pointCount
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// The basic code point for a digit value 0…35: `a`…`z` then `0`…`9`.
    private static func digit(_ value: UInt32) -> Character {
        let scalar = value < 26 ? value + 0x61 : value - 26 + 0x30
        return Character(Unicode.Scalar(UInt8(truncatingIfNeeded: scalar)))
    }
}
