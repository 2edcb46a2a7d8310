import Foundation
import NIOCore
import PostgresNIO
import Tessera

/// API key records in the `tessera_api_keys` table of PostgreSQL, shared by
/// every app server that points at the database.
///
/// A row holds the key's public identifier and the SHA-256 of its secret,
/// never the secret (ASVS 6.5.2); scopes are a `text[]`. Each method is one
/// statement with bound parameters. Revocation is
/// `UPDATE … WHERE id = $1 AND owner = $2 AND revoked_at IS NULL`, so one
/// owner can never revoke another's key; the inactive-key sweep deletes in
/// batches with `FOR UPDATE SKIP LOCKED`. Get one from ``PostgresStorage``.
public struct PostgresAPIKeyStore: APIKeyStore {
    let executor: PostgresExecutor

    private typealias Row = (String, ByteBuffer, String, String, [String], Double, Double?, Double?, Double?)

    public func insert(_ record: APIKeyRecord) async throws(StoreError) {
        _ = try await executor.query(
            "insert an API key",
            """
            INSERT INTO tessera_api_keys (id, secret_hash, name, owner, scopes, created_at, expires_at, last_used_at, revoked_at)
            VALUES (\(record.id), \(ByteBuffer(bytes: record.secretHash)), \(record.name), \(record.owner), \(record.scopes),
                \(record.createdAt.timeIntervalSince1970), \(record.expiresAt?.timeIntervalSince1970),
                \(record.lastUsedAt?.timeIntervalSince1970), \(record.revokedAt?.timeIntervalSince1970))
            """
        )
    }

    public func record(id: String) async throws(StoreError) -> APIKeyRecord? {
        let rows = try await executor.query(
            "look up an API key",
            """
            SELECT id, secret_hash, name, owner, scopes, created_at, expires_at, last_used_at, revoked_at
            FROM tessera_api_keys WHERE id = \(id)
            """
        )
        return try rows.first.map(Self.record)
    }

    public func records(ofOwner owner: String) async throws(StoreError) -> [APIKeyRecord] {
        let rows = try await executor.query(
            "list an owner's API keys",
            """
            SELECT id, secret_hash, name, owner, scopes, created_at, expires_at, last_used_at, revoked_at
            FROM tessera_api_keys WHERE owner = \(owner) ORDER BY created_at, id COLLATE "C"
            """
        )
        return try rows.map(Self.record)
    }

    public func revoke(id: String, ofOwner owner: String, at date: Date) async throws(StoreError) -> Bool {
        let rows = try await executor.query(
            "revoke an API key",
            """
            UPDATE tessera_api_keys SET revoked_at = \(date.timeIntervalSince1970)
            WHERE id = \(id) AND owner = \(owner) AND revoked_at IS NULL RETURNING 1
            """
        )
        return !rows.isEmpty
    }

    public func revokeAll(ofOwner owner: String, at date: Date) async throws(StoreError) -> Int {
        try await executor.query(
            "revoke an owner's API keys",
            """
            UPDATE tessera_api_keys SET revoked_at = \(date.timeIntervalSince1970)
            WHERE owner = \(owner) AND revoked_at IS NULL RETURNING 1
            """
        ).count
    }

    public func recordUse(id: String, at date: Date) async throws(StoreError) {
        _ = try await executor.query(
            "record an API key's use",
            "UPDATE tessera_api_keys SET last_used_at = \(date.timeIntervalSince1970) WHERE id = \(id)"
        )
    }

    public func deleteInactive(before cutoff: Date, limit: Int) async throws(StoreError) -> Int {
        let cutoff = cutoff.timeIntervalSince1970
        return try await executor.query(
            "delete inactive API keys",
            """
            DELETE FROM tessera_api_keys WHERE id IN (
                SELECT id FROM tessera_api_keys WHERE revoked_at <= \(cutoff) OR expires_at <= \(cutoff)
                LIMIT \(max(limit, 0)) FOR UPDATE SKIP LOCKED
            ) RETURNING 1
            """
        ).count
    }

    private static func record(_ row: PostgresRow) throws(StoreError) -> APIKeyRecord {
        let columns: Row
        do {
            columns = try row.decode(Row.self)
        } catch {
            throw .corruptRecord("a row of tessera_api_keys has unexpected column types")
        }
        let (id, secretHash, name, owner, scopes, createdAt, expiresAt, lastUsedAt, revokedAt) = columns
        return APIKeyRecord(
            id: id, secretHash: Array(secretHash.readableBytesView), name: name, owner: owner, scopes: scopes,
            createdAt: Date(timeIntervalSince1970: createdAt),
            expiresAt: expiresAt.map(Date.init(timeIntervalSince1970:)),
            lastUsedAt: lastUsedAt.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:))
        )
    }
}
