import PostgresNIO
import Tessera

/// Revocation epochs in the `tessera_revocation_epochs` table. Get one from
/// ``PostgresStorage``.
public struct PostgresRevocationEpochStore: RevocationEpochStore {
    let executor: PostgresExecutor

    public func epoch(of subject: String) async throws(StoreError) -> Int64 {
        let rows = try await executor.query("read a revocation epoch", "SELECT epoch FROM tessera_revocation_epochs WHERE subject = \(subject)")
        guard let row = rows.first else { return 0 }
        // A row that can't be read must not read as "never revoked" (fail closed).
        guard let epoch = try? row.decode(Int64.self) else { throw .corruptRecord("a revocation epoch row could not be read") }
        return epoch
    }

    public func advanceEpoch(of subject: String) async throws(StoreError) -> Int64 {
        let rows = try await executor.query(
            "raise a revocation epoch",
            """
            INSERT INTO tessera_revocation_epochs (subject, epoch) VALUES (\(subject), 1)
            ON CONFLICT (subject) DO UPDATE SET epoch = tessera_revocation_epochs.epoch + 1 RETURNING epoch
            """
        )
        guard let epoch = try? rows.first?.decode(Int64.self) else {
            throw .unavailable("PostgreSQL returned no epoch")
        }
        return epoch
    }
}
