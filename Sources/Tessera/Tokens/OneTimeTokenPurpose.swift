/// What a one-time token is for: part of every lookup, so a token issued
/// for one purpose can't be redeemed for another.
///
/// The text is 1–64 printable ASCII characters (space to `~`). It is stored
/// next to the token's hash and logged with audit events, so it should name
/// a kind of token, never carry data about the user.
///
/// ```swift
/// extension OneTimeTokenPurpose {
///     static let emailChange: OneTimeTokenPurpose = "email_change"
/// }
/// ```
public struct OneTimeTokenPurpose: Hashable, Sendable, RawRepresentable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The most characters a purpose may have.
    public static let maximumLength = 64

    /// A password-reset link (``OneTimeTokens/Configuration`` default: 30 minutes).
    public static let passwordReset: OneTimeTokenPurpose = "password_reset"
    /// An account-activation link (default: 48 hours).
    public static let accountActivation: OneTimeTokenPurpose = "account_activation"
    /// An e-mail address confirmation link (default: 24 hours).
    public static let emailVerification: OneTimeTokenPurpose = "email_verification"

    /// The purpose's text, as stored and logged.
    public let rawValue: String

    /// A purpose named `rawValue`; `nil` unless it is 1–64 printable ASCII characters.
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A purpose written in the source. An invalid literal is a programming
    /// error and stops the program.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "a one-time token purpose is 1–\(Self.maximumLength) printable ASCII characters")
        self.rawValue = value
    }

    public var description: String { rawValue }

    static func isValid(_ text: String) -> Bool {
        (1...maximumLength).contains(text.utf8.count) && text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}
