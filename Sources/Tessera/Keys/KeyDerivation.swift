import Crypto

/// Derives one 256-bit sub-key per purpose from a master secret with
/// HKDF-SHA256 (RFC 5869).
///
/// The salt is a fixed Tessera label and the `info` names the codec and the
/// purpose, so a signed-cookie key can never be confused with a sealing key or
/// with the key of another purpose.
public enum KeyDerivation {
    static let salt = Array("tessera/hkdf/v1".utf8)

    /// The sub-key for `context` (for example `"signed-value"`) and `purpose`.
    public static func subKey(of master: SecretKey, context: String, purpose: KeyPurpose) -> SymmetricKey {
        var info = Array(context.utf8)
        info.append(0)
        info.append(contentsOf: purpose.label.utf8)
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master.symmetricKey,
            salt: salt,
            info: info,
            outputByteCount: 32
        )
    }
}
