/// A set of common passwords a ``PasswordPolicy`` refuses (ASVS-6.2.4),
/// compared ignoring case.
///
/// ``bundled`` holds the 8,444 entries of Django's common-password list
/// (passwords seen most often in breaches) that are at least 8 characters
/// long: every shorter one already fails the default length rule. It is
/// part of the library, so no file is read at run time, and it is parsed
/// once, on first use.
///
/// ```swift
/// let policy = PasswordPolicy()                                   // bundled list
/// let custom = PasswordPolicy(commonPasswords: .bundled.adding(["tessera2026"]))
/// let none = PasswordPolicy(commonPasswords: .empty)              // opt out
/// ```
public struct CommonPasswordList: Sendable {
    /// The folded (NFC, lowercased) entries.
    let entries: Set<String>

    /// The list that ships with Tessera.
    public static let bundled = CommonPasswordList(folded: Set(bundledText.split(separator: "\n").map(String.init)))

    /// No entries: nothing is refused as common.
    public static let empty = CommonPasswordList(folded: [])

    /// A list of your own; entries are compared ignoring case.
    public init<Passwords: Sequence>(_ passwords: Passwords) where Passwords.Element == String {
        entries = Set(passwords.map { PasswordPolicy.folded($0) })
    }

    private init(folded entries: Set<String>) {
        self.entries = entries
    }

    /// How many distinct entries the list has.
    public var count: Int { entries.count }

    /// Whether `password` is on the list, ignoring case.
    public func contains(_ password: String) -> Bool {
        entries.contains(PasswordPolicy.folded(password))
    }

    /// This list with `passwords` added (your site's name, last year's
    /// leaked defaults, …).
    public func adding<Passwords: Sequence>(_ passwords: Passwords) -> CommonPasswordList where Passwords.Element == String {
        CommonPasswordList(folded: entries.union(passwords.map { PasswordPolicy.folded($0) }))
    }
}
