/// The rules a new password must meet, checked before it is hashed
/// (at registration and password change; not at login).
///
/// Following ASVS 5.0 and NIST SP 800-63B, the policy has a minimum length
/// (8 by default, ASVS-6.2.1; 15 is recommended for single-factor use), a
/// documented maximum (4096 UTF-8 bytes, ASVS-6.2.9), a block list of common
/// passwords (ASVS-6.2.4), context words such as the username and the
/// site's name (ASVS-6.2.11) and an optional breach check (ASVS-6.2.12).
/// It deliberately has **no composition rules** (no "one digit, one
/// symbol", ASVS-6.2.5) and **no expiry**: there is no setting that forces
/// periodic rotation (ASVS-6.2.10).
///
/// Length counts Unicode scalars of the password's NFC form, the same form
/// that is hashed, so "pässwörd" is 8 whichever way the umlauts were typed.
/// The common-password check uses ``CommonPasswordList/bundled`` unless
/// you pass another list.
public struct PasswordPolicy: Sendable {
    /// The default minimum length, in Unicode scalars.
    public static let defaultMinimumLength = 8
    /// Context words shorter than this (in Unicode scalars) are ignored, so
    /// a two-letter username does not forbid every password that contains it.
    public static let minimumContextWordLength = 3

    /// The fewest Unicode scalars allowed.
    public var minimumLength: Int
    /// The most UTF-8 bytes allowed. Keep it no larger than the hasher's
    /// ``PasswordHasher/maximumPasswordBytes``.
    public var maximumBytes: Int
    /// Common passwords, refused whatever their case.
    public var commonPasswords: CommonPasswordList
    /// Words no password may contain, ignoring case: the site's name, its
    /// domain, and so on. The username is passed to ``validate(_:username:contextWords:)``.
    public var contextWords: [String]
    /// The optional breach check, asked last.
    public var breachedPasswordChecker: (any BreachedPasswordChecker)?

    /// A policy.
    /// - Parameters:
    ///   - minimumLength: the fewest Unicode scalars.
    ///   - maximumBytes: the most UTF-8 bytes.
    ///   - commonPasswords: the passwords refused as common; Tessera's
    ///     bundled list unless you pass another (or ``CommonPasswordList/empty``).
    ///   - contextWords: words no password may contain (the app's name).
    ///   - breachedPasswordChecker: an optional breach check.
    public init(
        minimumLength: Int = PasswordPolicy.defaultMinimumLength,
        maximumBytes: Int = PasswordHasher.defaultMaximumPasswordBytes,
        commonPasswords: CommonPasswordList = .bundled,
        contextWords: [String] = [],
        breachedPasswordChecker: (any BreachedPasswordChecker)? = nil
    ) {
        self.minimumLength = minimumLength
        self.maximumBytes = maximumBytes
        self.commonPasswords = commonPasswords
        self.contextWords = contextWords
        self.breachedPasswordChecker = breachedPasswordChecker
    }

    /// Checks a new password; returns when it is acceptable.
    ///
    /// The checks run cheapest first, and the breach checker is asked only
    /// when all local rules pass.
    /// - Parameters:
    ///   - password: the new password, exactly as entered.
    ///   - username: the account's name; the password may not contain it,
    ///     nor, for an e-mail address, the part before the `@`.
    ///   - contextWords: more words for this call (the user's real name, say).
    /// - Throws: the first ``PasswordPolicyViolation`` found.
    public func validate(_ password: String, username: String? = nil, contextWords extraWords: [String] = []) async throws(PasswordPolicyViolation) {
        // The byte bound comes first so a huge input is not normalised or scanned.
        guard password.utf8.count <= maximumBytes else { throw .tooLong(maximumBytes: maximumBytes) }
        let normalized = PasswordNormalization.nfc(password)
        guard normalized.unicodeScalars.count >= minimumLength else { throw .tooShort(minimumLength: minimumLength) }

        let folded = Self.folded(password)
        var words = contextWords + extraWords
        if let username {
            words.append(username)
            if let at = username.firstIndex(of: "@") { words.append(String(username[..<at])) }
        }
        for word in words {
            let foldedWord = Self.folded(word)
            if foldedWord.unicodeScalars.count >= Self.minimumContextWordLength, folded.contains(foldedWord) {
                throw .containsContextWord
            }
        }

        if commonPasswords.entries.contains(folded) { throw .commonPassword }

        if let breachedPasswordChecker, await breachedPasswordChecker.isBreached(password) { throw .breached }
    }

    /// NFC, then lowercased: the form compared with block lists and context words.
    static func folded(_ text: String) -> String {
        PasswordNormalization.nfc(text).lowercased()
    }
}
