import Foundation
import SQLiteNIO
import Tessera

extension SQLiteConnection {
    /// Runs one statement for a store, turning any failure into a
    /// ``StoreError`` that names `action` and never a bound value.
    func storeQuery(_ action: String, _ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) -> [SQLiteRow] {
        do {
            return try await query(sql, binds)
        } catch {
            throw SQLiteFailure.map(error, doing: action)
        }
    }
}

extension SQLiteData {
    /// A date as REAL seconds since 1970, the way every Tessera table keeps time.
    static func date(_ date: Date) -> SQLiteData { .float(date.timeIntervalSince1970) }

    /// A nullable date.
    static func date(_ date: Date?) -> SQLiteData { date.map { .float($0.timeIntervalSince1970) } ?? .null }

    /// A row limit, never negative.
    static func limit(_ limit: Int) -> SQLiteData { .integer(SQLiteInt64(max(limit, 0))) }
}
