import Foundation
import SQLiteNIO
import Tessera

/// API key records in the `tessera_api_keys` table of an SQLite file.
///
/// A row holds the key's public identifier and the SHA-256 of its secret,
/// never the secret (ASVS 6.5.2). Scopes are kept as a JSON array of
/// strings. Every method is one statement, so each is atomic on its own;
/// revocation is `UPDATE … WHERE id = ? AND owner = ? AND revoked_at IS NULL`,
/// so one owner can never revoke another's key. Get one from
/// ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteAPIKeyStore: APIKeyStore {
    let connection: SQLiteConnection

    private static let table = "tessera_api_keys"
    private static let columns = "id, secret_hash, name, owner, scopes, created_at, expires_at, last_used_at, revoked_at"

    public func insert(_ record: APIKeyRecord) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "insert an API key",
            "INSERT INTO tessera_api_keys (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .text(record.id), .blob(record.secretHash), .text(record.name), .text(record.owner),
                .text(Self.encode(scopes: record.scopes)), .date(record.createdAt), .date(record.expiresAt),
                .date(record.lastUsedAt), .date(record.revokedAt),
            ]
        )
    }

    public func record(id: String) async throws(StoreError) -> APIKeyRecord? {
        let rows = try await connection.storeQuery(
            "look up an API key", "SELECT \(Self.columns) FROM tessera_api_keys WHERE id = ?", [.text(id)]
        )
        return try rows.first.map(Self.record)
    }

    public func records(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord] {
        let rows = try await connection.storeQuery(
            "list an owner's API keys",
            "SELECT \(Self.columns) FROM tessera_api_keys WHERE owner = ? ORDER BY created_at, id",
            [.text(owner)]
        )
        return try rows.map(Self.record)
    }

    public func revoke(id: String, ofOwner owner: String, at date: Date) async throws(StoreError) -> Bool {
        let rows = try await connection.storeQuery(
            "revoke an API key",
            "UPDATE tessera_api_keys SET revoked_at = ? WHERE id = ? AND owner = ? AND revoked_at IS NULL RETURNING 1",
            [.date(date), .text(id), .text(owner)]
        )
        return !rows.isEmpty
    }

    public func revokeAll(ofOwner owner: String, at date: Date) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "revoke an owner's API keys",
            "UPDATE tessera_api_keys SET revoked_at = ? WHERE owner = ? AND revoked_at IS NULL RETURNING 1",
            [.date(date), .text(owner)]
        ).count
    }

    public func recordUse(id: String, at date: Date) async throws(StoreError) {
        _ = try await connection.storeQuery(
            "record an API key's use", "UPDATE tessera_api_keys SET last_used_at = ? WHERE id = ?", [.date(date), .text(id)]
        )
    }

    public func deleteInactive(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        try await connection.storeQuery(
            "delete inactive API keys",
            """
            DELETE FROM tessera_api_keys WHERE id IN \
            (SELECT id FROM tessera_api_keys WHERE revoked_at <= ? OR expires_at <= ? LIMIT ?) RETURNING 1
            """,
            [.date(cutoff), .date(cutoff), .limit(limit)]
        ).count
    }

    private static func record(_ row: SQLiteRow) throws(StoreError) -> APIKeyRecord {
        let columns = SQLiteColumns(row: row, table: table)
        guard let scopes = decode(scopes: try columns.text("scopes")) else { throw columns.corrupt("scopes") }
        return APIKeyRecord(
            id: try columns.text("id"),
            secretHash: try columns.blob("secret_hash"),
            name: try columns.text("name"),
            owner: try columns.text("owner"),
            scopes: scopes,
            createdAt: try columns.date("created_at"),
            expiresAt: try columns.optionalDate("expires_at"),
            lastUsedAt: try columns.optionalDate("last_used_at"),
            revokedAt: try columns.optionalDate("revoked_at")
        )
    }

    /// Scopes as a JSON array of strings: any scope text survives the round trip.
    static func encode(scopes: [String]) -> String {
        JSONWriter(ensureASCII: false).string(.array(scopes.map(JSONValue.string)))
    }

    /// The scopes of a JSON array of strings, or `nil` if `text` is not one.
    static func decode(scopes text: String) -> [String]? {
        guard case .array(let elements)? = try? JSONParser.parse(text) else { return nil }
        var scopes: [String] = []
        scopes.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let scope) = element else { return nil }
            scopes.append(scope)
        }
        return scopes
    }
}
