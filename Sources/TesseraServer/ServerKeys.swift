import Crypto
import Foundation
public import Logging
public import Tessera

/// The server's secrets, kept in its data directory with mode 0600 and
/// made on first start: the key ring (cookie signatures, sealed values,
/// CSRF secrets) and the ES256 key that signs access tokens.
///
/// Servers that share the data directory share the keys; rotate the ring
/// with `tessera keygen --add --ring DATA-DIR/keyring.json`.
public struct ServerKeys: Sendable {
    /// The key ring file's name in the data directory.
    public static let ringFileName = "keyring.json"
    /// The token-signing key's file name in the data directory.
    public static let signingKeyFileName = "jwt-signing-key.pem"

    /// The key ring.
    public let ring: KeyRing
    /// The ES256 private key, PEM.
    let signingKeyPEM: String
    /// The signing key's `kid`: derived from its public key, so every server
    /// sharing the file names it alike.
    let signingKeyID: String

    /// Loads the keys from `directory`, creating missing ones (and the
    /// directory, mode 0700); the log says what was created, never a key.
    public static func loadOrCreate(in directory: String, logger: Logger) throws -> ServerKeys {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ringPath = (directory as NSString).appendingPathComponent(ringFileName)
        if !FileManager.default.fileExists(atPath: ringPath) {
            try KeyRingFile.save(try KeyRing(single: SecretKey.generate(), id: KeyRingFile.newKeyID()), path: ringPath)
            logger.notice("created a key ring (mode 0600)", metadata: ["path": "\(ringPath)"])
        }
        let ring = try KeyRingFile.load(path: ringPath)

        let pemPath = (directory as NSString).appendingPathComponent(signingKeyFileName)
        if !FileManager.default.fileExists(atPath: pemPath) {
            try SecureFileWriter.write(Data(P256.Signing.PrivateKey().pemRepresentation.utf8), to: pemPath)
            logger.notice("created the ES256 token-signing key (mode 0600)", metadata: ["path": "\(pemPath)"])
        }
        let pem = try String(contentsOfFile: pemPath, encoding: .utf8)
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: pem) } catch {
            throw ServerConfigurationError.invalidValue(key: "data-dir", reason: "\(pemPath) is not an EC P-256 private key in PEM")
        }
        let thumbprint = SHA256.hash(data: key.publicKey.x963Representation).prefix(8).map { String(format: "%02x", $0) }.joined()
        return ServerKeys(ring: ring, signingKeyPEM: pem, signingKeyID: "es256-" + thumbprint)
    }
}
