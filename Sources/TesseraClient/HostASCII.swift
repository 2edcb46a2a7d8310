import Foundation

/// Host names in the ASCII form cookies are compared in: lower case, with
/// international labels in their `xn--` Punycode form, so that `Bücher.DE`
/// and `xn--bcher-kva.de` name the same host.
enum HostASCII {
    /// The longest label DNS allows, in bytes.
    static let maximumLabelLength = 63

    /// Lower-cases a host name and converts every non-ASCII label to its `xn--` Punycode form (RFC 3492,
    /// the ToASCII step of IDNA without the full mapping tables). `nil` when a label cannot be encoded
    /// (for example longer than 63 bytes once encoded) or the input has a character that is never valid
    /// in a host: a control character, space, `#`, `%`, `/`, `:`, `<`, `>`, `?`, `@`, `[`, `\`, `]`,
    /// `^` or `|` (the WHATWG URL standard's forbidden domain code points). Ports are stripped by the caller.
    ///
    /// ASCII labels are only lower-cased (A–Z to a–z), whatever their length. A non-ASCII label is
    /// lower-cased with `String.lowercased()` and put in Unicode normalization form C; if it is then
    /// ASCII it is kept as it is, otherwise it becomes `xn--` followed by its Punycode. Empty labels
    /// are kept, so a trailing dot survives for the caller to handle.
    static func toASCII(_ host: some StringProtocol) -> String? {
        // Split on scalars, not Characters: a dot followed by a combining mark is
        // still a dot. The ideographic and full-width full stops separate labels too (IDNA).
        var labels: [String] = []
        var label = String.UnicodeScalarView()
        for scalar in host.unicodeScalars {
            if scalar == "." || scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}" {
                labels.append(String(label))
                label = String.UnicodeScalarView()
            } else {
                label.append(scalar)
            }
        }
        labels.append(String(label))
        var converted: [String] = []
        for label in labels {
            guard let ascii = labelToASCII(Substring(label)) else { return nil }
            converted.append(ascii)
        }
        return converted.joined(separator: ".")
    }

    private static func labelToASCII(_ label: Substring) -> String? {
        guard !label.unicodeScalars.contains(where: isForbidden) else { return nil }
        if label.unicodeScalars.allSatisfy(\.isASCII) {
            return asciiLowercased(label)
        }
        // Every scalar becomes at least one byte of the encoded label, so a
        // label this long cannot fit; refuse it before encoding.
        guard label.unicodeScalars.count <= maximumLabelLength else { return nil }
        let mapped = label.lowercased().precomposedStringWithCanonicalMapping
        guard !mapped.unicodeScalars.contains(where: isForbidden) else { return nil }
        if mapped.unicodeScalars.allSatisfy(\.isASCII) {
            return mapped
        }
        guard let encoded = Punycode.encode(Array(mapped.unicodeScalars)) else { return nil }
        let result = "xn--" + encoded
        guard result.utf8.count <= maximumLabelLength else { return nil }
        return result
    }

    private static func asciiLowercased(_ label: Substring) -> String {
        String(decoding: label.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// A code point that can never be part of a host name.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "#", "%", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|":
            true
        default:
            scalar.properties.generalCategory == .control
        }
    }
}
