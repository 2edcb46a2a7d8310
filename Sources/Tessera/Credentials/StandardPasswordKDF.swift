import Crypto
import CryptoExtras
import HummingbirdBcrypt

/// The production ``PasswordKDF``: scrypt and PBKDF2 from swift-crypto's
/// `CryptoExtras` (BoringSSL), bcrypt from `HummingbirdBcrypt` (OpenBSD's C
/// code).
///
/// Every argument is checked before it reaches C, so no input traps:
/// swift-crypto converts the iteration count with `UInt32(_:)` and writes
/// into a buffer of `outputByteCount` bytes.
public struct StandardPasswordKDF: PasswordKDF {
    /// The longest output this type derives.
    public static let maximumOutputByteCount = 1024

    /// The production primitives.
    public init() {}

    /// scrypt through `KDF.Scrypt.deriveKey`.
    public func scrypt(password: [UInt8], salt: [UInt8], parameters: ScryptParameters, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        guard (1...Self.maximumOutputByteCount).contains(outputByteCount) else { throw .derivationFailed }
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: password, salt: salt, outputByteCount: outputByteCount,
                rounds: parameters.costN, blockSize: parameters.blockSize, parallelism: parameters.parallelism)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .derivationFailed
        }
    }

    /// PBKDF2-HMAC-SHA256 through `KDF.Insecure.PBKDF2`. The unchecked entry
    /// point is used because old Django hashes have fewer than the 210 000
    /// rounds the checked one insists on; they are only ever verified, then
    /// replaced.
    public func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) throws(PasswordError) -> [UInt8] {
        guard (1...Self.maximumOutputByteCount).contains(outputByteCount),
              iterations >= 1, iterations <= Int(UInt32.max) else { throw .derivationFailed }
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha256, outputByteCount: outputByteCount,
                unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .derivationFailed
        }
    }

    /// bcrypt through `Bcrypt.verify`. A password the C code would truncate
    /// (over 72 bytes, or with a NUL) never matches here, whatever the
    /// caller checked.
    public func bcryptVerify(password: String, hash: String) -> Bool {
        guard password.utf8.count <= PasswordHasher.bcryptMaximumPasswordBytes,
              !password.utf8.contains(0),
              hash.utf8.count == 60, hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") else { return false }
        return Bcrypt.verify(password, hash: hash)
    }
}
