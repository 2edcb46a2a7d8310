import Foundation
import NIOCore
import SQLiteNIO
import Tessera

/// Reads the columns of one row strictly: a missing column or a value of
/// the wrong type makes the record corrupt (``StoreError/corruptRecord(_:)``),
/// never a trap or a silent default. Messages name the table and column,
/// never a value.
struct SQLiteColumns {
    let row: SQLiteRow
    let table: String

    /// A BLOB column's bytes.
    func blob(_ name: String) throws(StoreError) -> [UInt8] {
        guard case .blob(let buffer) = row.column(name) else { throw corrupt(name) }
        return Array(buffer.readableBytesView)
    }

    /// A TEXT column's text.
    func text(_ name: String) throws(StoreError) -> String {
        guard case .text(let text) = row.column(name) else { throw corrupt(name) }
        return text
    }

    /// An INTEGER column's value. (sqlite-nio's own `integer` accessor
    /// traps on a REAL that doesn't fit, so it is not used on stored data.)
    func integer(_ name: String) throws(StoreError) -> Int {
        guard case .integer(let value) = row.column(name), let integer = Int(exactly: value) else { throw corrupt(name) }
        return integer
    }

    /// A date stored as REAL seconds since 1970 (an integral value may come back as INTEGER).
    func date(_ name: String) throws(StoreError) -> Date {
        switch row.column(name) {
        case .float(let seconds) where seconds.isFinite: return Date(timeIntervalSince1970: seconds)
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        default: throw corrupt(name)
        }
    }

    /// A nullable date column.
    func optionalDate(_ name: String) throws(StoreError) -> Date? {
        if case .null = row.column(name) { return nil }
        return try date(name)
    }

    /// The error for a column that is missing or holds the wrong type.
    func corrupt(_ name: String) -> StoreError {
        .corruptRecord("a row of \(table) has a missing or malformed \(name) column")
    }
}
