import Foundation

/// The values of one session: JSON documents by key, with the binary
/// encoding stores receive as ``SessionRecord/data``.
///
/// Layout: format byte `1`, a u32 count, then per entry (in key order) a
/// u16-prefixed UTF-8 key and a u32-prefixed JSON value.
struct SessionValues: Sendable, Equatable {
    private static let format: UInt8 = 1

    var entries: [String: [UInt8]] = [:]

    init(entries: [String: [UInt8]] = [:]) { self.entries = entries }

    init(encoded bytes: [UInt8]) throws(SessionError) {
        guard !bytes.isEmpty else { return }
        var reader = BinaryReader(bytes)
        guard reader.readByte() == Self.format, let count = reader.read(UInt32.self) else {
            throw .corruptSession("unknown session data format")
        }
        for _ in 0..<count {
            guard let key = reader.readPrefixedString(lengthAs: UInt16.self),
                  let value = reader.readPrefixed(lengthAs: UInt32.self)
            else { throw .corruptSession("truncated session data") }
            entries[key] = Array(value)
        }
        guard reader.isAtEnd else { throw .corruptSession("trailing bytes after session data") }
    }

    var isEmpty: Bool { entries.isEmpty }

    func encoded() -> [UInt8] {
        guard !entries.isEmpty else { return [] }
        var writer = BinaryWriter(capacity: 8 + entries.reduce(0) { $0 + $1.key.utf8.count + $1.value.count + 6 })
        writer.append(Self.format)
        writer.append(UInt32(entries.count))
        for key in entries.keys.sorted() {
            writer.appendPrefixed(key.utf8, lengthAs: UInt16.self)
            writer.appendPrefixed(entries[key]!, lengthAs: UInt32.self)
        }
        return writer.bytes
    }

    /// Applies recorded changes: a value sets its key, `nil` removes it.
    mutating func apply(_ changes: [String: [UInt8]?]) {
        for (key, change) in changes {
            entries[key] = change
        }
    }
}
