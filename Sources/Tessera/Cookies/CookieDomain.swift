/// Checks a `Domain` attribute before it is sent (RFC 6265bis §4.1.2.3 and
/// §5.6.3): a host name, lower-cased, without the leading dot, never an IP
/// address, a port or a public suffix.
enum CookieDomain {
    /// The domain as it should be written, or the reason it cannot be.
    static func normalise(_ domain: String, publicSuffixes: PublicSuffixList) -> Result<String, Refusal> {
        var text = Substring(domain)
        if text.hasPrefix(".") { text = text.dropFirst() }
        let lowered = text.lowercased()
        if lowered.isEmpty { return .failure(.init("it is empty")) }
        if lowered.utf8.count > 253 { return .failure(.init("it is longer than 253 bytes")) }
        if lowered.contains(":") || lowered.hasPrefix("[") {
            return .failure(.init(lowered.filter { $0 == ":" }.count == 1 ? "it has a port; Domain takes a host name only" : "it is an IP address; omit Domain to make a host-only cookie"))
        }
        let labels = lowered.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63 else { return .failure(.init("it has an empty or over-long label")) }
            guard label.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }),
                  label.first != "-", label.last != "-" else {
                return .failure(.init("it is not a host name (letters, digits and inner hyphens; punycode for international names)"))
            }
        }
        if labels.count == 4, labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            return .failure(.init("it is an IP address; omit Domain to make a host-only cookie"))
        }
        if labels.last?.allSatisfy(\.isNumber) == true {
            return .failure(.init("its last label is numeric, so it is not a host name"))
        }
        if publicSuffixes.isPublicSuffix(lowered) {
            return .failure(.init("it is a public suffix, so browsers would reject the cookie"))
        }
        return .success(lowered)
    }

    struct Refusal: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
