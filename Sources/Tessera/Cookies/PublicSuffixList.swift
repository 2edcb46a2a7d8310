import Foundation

/// The Public Suffix List (publicsuffix.org): which domains are registries
/// (`com`, `co.uk`, `github.io`), where no cookie may be scoped.
///
/// ``shared`` reads Debian's `publicsuffix` package
/// (`/usr/share/publicsuffix/public_suffix_list.dat`) when it is installed and
/// otherwise falls back to a small built-in list of common multi-label
/// suffixes; the list's default rule (`*`) makes every single-label domain a
/// public suffix either way. Rules are compared as ASCII: internationalised
/// rules match only their punycode spelling.
public struct PublicSuffixList: Sendable {
    private let rules: Set<String>
    private let wildcards: Set<String>
    private let exceptions: Set<String>

    /// Where Debian installs the list.
    public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// The system list if present, else the built-in fallback.
    public static let shared: PublicSuffixList = {
        if let data = FileManager.default.contents(atPath: systemPath) {
            let list = PublicSuffixList(rulesText: String(decoding: data, as: UTF8.self))
            if !list.rules.isEmpty { return list }
        }
        return builtIn
    }()

    /// The fallback used when no system list is installed.
    public static let builtIn = PublicSuffixList(rulesText: builtInRules)

    /// Parses the list's text format: one rule per line, `//` comments,
    /// `*.` wildcards and `!` exceptions.
    public init(rulesText: String) {
        var rules = Set<String>()
        var wildcards = Set<String>()
        var exceptions = Set<String>()
        for rawLine in rulesText.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if line.isEmpty || line.hasPrefix("//") { continue }
            let rule = line.lowercased()
            if rule.hasPrefix("!") {
                exceptions.insert(String(rule.dropFirst()))
            } else if rule.hasPrefix("*.") {
                wildcards.insert(String(rule.dropFirst(2)))
            } else {
                rules.insert(rule)
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The public suffix of a lower-case domain (`www.example.co.uk` → `co.uk`).
    public func publicSuffix(of domain: String) -> String {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty else { return domain }
        for skip in 0..<labels.count {
            let candidate = labels[skip...].joined(separator: ".")
            if exceptions.contains(candidate) { return labels[(skip + 1)...].joined(separator: ".") }
            if rules.contains(candidate) { return candidate }
            if skip + 1 < labels.count, wildcards.contains(labels[(skip + 1)...].joined(separator: ".")) { return candidate }
        }
        return String(labels[labels.count - 1])
    }

    /// Whether a lower-case domain is itself a public suffix.
    public func isPublicSuffix(_ domain: String) -> Bool {
        publicSuffix(of: domain) == domain
    }

    static let builtInRules = """
    // Multi-label public suffixes that most often matter for cookies.
    co.uk
    org.uk
    ac.uk
    gov.uk
    ltd.uk
    plc.uk
    me.uk
    net.uk
    com.au
    net.au
    org.au
    edu.au
    gov.au
    co.nz
    org.nz
    co.jp
    ne.jp
    or.jp
    ac.jp
    co.kr
    com.br
    com.cn
    com.mx
    com.tr
    co.in
    co.za
    com.sg
    com.hk
    com.tw
    github.io
    gitlab.io
    herokuapp.com
    appspot.com
    blogspot.com
    cloudfront.net
    azurewebsites.net
    netlify.app
    vercel.app
    pages.dev
    workers.dev
    fly.dev
    onrender.com
    *.ck
    !www.ck
    """
}
