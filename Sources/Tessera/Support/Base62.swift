/// Base62 (`0-9A-Za-z`): Django's signed integers (`django.core.signing.b62_encode/b62_decode`)
/// and fixed-width byte strings for API keys.
enum Base62 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func encode(_ value: Int64) -> String {
        if value == 0 { return "0" }
        var remaining = value.magnitude
        var digits: [UInt8] = []
        while remaining > 0 {
            digits.append(alphabet[Int(remaining % 62)])
            remaining /= 62
        }
        return (value < 0 ? "-" : "") + String(decoding: digits.reversed(), as: UTF8.self)
    }

    static func decode<Text: StringProtocol>(_ text: Text) -> Int64? {
        var utf8 = text.utf8[...]
        var sign: Int64 = 1
        if utf8.first == UInt8(ascii: "-") {
            sign = -1
            utf8 = utf8.dropFirst()
        }
        var value: Int64 = 0
        for byte in utf8 {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: 62)
            let (sum, overflow2) = product.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return sign * value
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Encodes `bytes` as one big-endian number, left-padded with `0` to `width` digits.
    static func encode(_ bytes: [UInt8], width: Int) -> String {
        var number = bytes
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in number.indices {
                let value = remainder * 256 + Int(number[index])
                number[index] = UInt8(value / 62)
                remainder = value % 62
            }
            digits.append(alphabet[remainder])
        }
        while digits.count < width { digits.append(alphabet[0]) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
