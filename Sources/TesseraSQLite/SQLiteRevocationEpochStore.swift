import SQLiteNIO
import Tessera

/// Revocation epochs in the `tessera_revocation_epochs` table of an SQLite
/// file. Get one from ``SQLiteStorage/open(path:logger:)``.
public struct SQLiteRevocationEpochStore: RevocationEpochStore {
    let connection: SQLiteConnection

    public func epoch(of subject: String) async throws(StoreError) -> Int64 {
        do {
            let rows = try await connection.query("SELECT epoch FROM tessera_revocation_epochs WHERE subject = ?", [.text(subject)])
            return Int64(rows.first?.column("epoch")?.integer ?? 0)
        } catch {
            throw SQLiteFailure.map(error, doing: "read a revocation epoch")
        }
    }

    public func advanceEpoch(of subject: String) async throws(StoreError) -> Int64 {
        do {
            let rows = try await connection.query(
                """
                INSERT INTO tessera_revocation_epochs (subject, epoch) VALUES (?, 1) \
                ON CONFLICT (subject) DO UPDATE SET epoch = epoch + 1 RETURNING epoch
                """,
                [.text(subject)]
            )
            guard let epoch = rows.first?.column("epoch")?.integer else {
                throw StoreError.unavailable("SQLite returned no epoch")
            }
            return Int64(epoch)
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteFailure.map(error, doing: "raise a revocation epoch")
        }
    }
}
