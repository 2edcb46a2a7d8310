import Foundation

/// Which bytes of a password reach the key-derivation function (CS-P8).
///
/// **Tessera's own scrypt hashes use the password in Unicode Normalization
/// Form C (NFC).** Swift already treats canonically equivalent strings as
/// equal (`"ä" == "a\u{308}"`), but their UTF-8 bytes differ, and which
/// form arrives depends on the user's keyboard, OS and browser. NFC maps
/// only canonically equivalent spellings together: it folds no case, drops
/// nothing and keeps compatibility characters (`ﬁ`, full-width letters,
/// `²`) distinct, so a password is still checked exactly as entered in
/// every visible respect (ASVS-6.2.8). NIST SP 800-63B suggests NFKC/NFKD;
/// Tessera does not take the compatibility step because that *does* merge
/// visibly different passwords.
///
/// **Legacy Django and bcrypt hashes use the exact UTF-8 bytes given**,
/// because that is what Django and Rails hashed; normalising would lock out
/// a user whose password was stored in another form. After the first
/// successful login the hash is rewritten as scrypt, and NFC from then on.
enum PasswordNormalization {
    /// The bytes that scrypt derives from: the UTF-8 of the password's NFC form.
    static func scryptInput(_ password: String) -> [UInt8] {
        Array(nfc(password).utf8)
    }

    /// The NFC form. ASCII is already in NFC and skips Foundation.
    static func nfc(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }
}
