import Foundation

/// A compact binary form of ``SessionRecord``, used where records are kept
/// as bytes (the memory store keeps one small array per session).
///
/// Layout (little-endian): format byte `1`, key (32), handle (16), version
/// (8), created, last seen, expires (8 each, IEEE seconds), a flags byte
/// saying which optional fields follow, then authenticated-at (8), user
/// (u16 length + UTF-8), method (u8 + UTF-8), address (u8 + UTF-8), user
/// agent (u16 + UTF-8), and the data (u32 length + bytes).
enum SessionRecordCoding {
    private static let format: UInt8 = 1

    private enum Flag {
        static let authenticatedAt: UInt8 = 1
        static let userID: UInt8 = 2
        static let method: UInt8 = 4
        static let address: UInt8 = 8
        static let userAgent: UInt8 = 16
    }

    /// Fails only if a field is longer than its length prefix allows.
    static func encode(_ record: SessionRecord) throws(StoreError) -> [UInt8] {
        var writer = BinaryWriter(capacity: 120 + record.data.count + (record.userID?.utf8.count ?? 0))
        writer.append(format)
        writer.appendRaw(record.key.bytes)
        writer.appendRaw(record.handle.bytes)
        writer.append(record.version)
        writer.append(record.createdAt)
        writer.append(record.lastSeenAt)
        writer.append(record.expiresAt)
        var flags: UInt8 = 0
        if record.authenticatedAt != nil { flags |= Flag.authenticatedAt }
        if record.userID != nil { flags |= Flag.userID }
        if record.authenticationMethod != nil { flags |= Flag.method }
        if record.clientAddress != nil { flags |= Flag.address }
        if record.userAgent != nil { flags |= Flag.userAgent }
        writer.append(flags)
        if let authenticatedAt = record.authenticatedAt { writer.append(authenticatedAt) }
        var fits = true
        if let user = record.userID { fits = fits && writer.appendPrefixed(user.utf8, lengthAs: UInt16.self) }
        if let method = record.authenticationMethod { fits = fits && writer.appendPrefixed(method.utf8, lengthAs: UInt8.self) }
        if let address = record.clientAddress { fits = fits && writer.appendPrefixed(address.utf8, lengthAs: UInt8.self) }
        if let agent = record.userAgent { fits = fits && writer.appendPrefixed(agent.utf8, lengthAs: UInt16.self) }
        fits = fits && writer.appendPrefixed(record.data, lengthAs: UInt32.self)
        guard fits else {
            throw .corruptRecord("a field is too long to store (user id ≤ 65535 bytes, method and address ≤ 255)")
        }
        return writer.bytes
    }

    // Fixed offsets of the header fields, for reads that skip a full decode.
    private static let keyOffset = 1
    private static let versionOffset = 1 + 32 + 16
    private static let expiresOffset = versionOffset + 8 + 8 + 8
    private static let headerEnd = expiresOffset + 8

    /// The key of an encoded record, without decoding the rest.
    static func key(of bytes: [UInt8]) -> SessionLookupKey? {
        guard bytes.count >= headerEnd else { return nil }
        return SessionLookupKey(bytes: bytes[keyOffset..<(keyOffset + SessionLookupKey.byteCount)])
    }

    /// The version of an encoded record, without decoding the rest.
    static func version(of bytes: [UInt8]) -> Int64? {
        var reader = BinaryReader(bytes)
        guard bytes.count >= headerEnd, reader.readRaw(count: versionOffset) != nil else { return nil }
        return reader.read(Int64.self)
    }

    /// The expiry of an encoded record, without decoding the rest.
    static func expiresAt(of bytes: [UInt8]) -> Date? {
        var reader = BinaryReader(bytes)
        guard bytes.count >= headerEnd, reader.readRaw(count: expiresOffset) != nil else { return nil }
        return reader.readDate()
    }

    static func decode(_ bytes: [UInt8]) throws(StoreError) -> SessionRecord {
        var reader = BinaryReader(bytes)
        guard reader.readByte() == format,
              let keyBytes = reader.readRaw(count: SessionLookupKey.byteCount),
              let key = SessionLookupKey(bytes: keyBytes),
              let handleBytes = reader.readRaw(count: SessionHandle.byteCount),
              let handle = SessionHandle(bytes: handleBytes),
              let version = reader.read(Int64.self),
              let createdAt = reader.readDate(),
              let lastSeenAt = reader.readDate(),
              let expiresAt = reader.readDate(),
              let flags = reader.readByte()
        else { throw .corruptRecord("truncated header") }
        var record = SessionRecord(
            key: key, handle: handle, version: version,
            createdAt: createdAt, lastSeenAt: lastSeenAt, expiresAt: expiresAt
        )
        if flags & Flag.authenticatedAt != 0 {
            guard let date = reader.readDate() else { throw .corruptRecord("truncated authentication time") }
            record.authenticatedAt = date
        }
        if flags & Flag.userID != 0 {
            guard let user = reader.readPrefixedString(lengthAs: UInt16.self) else { throw .corruptRecord("bad user id") }
            record.userID = user
        }
        if flags & Flag.method != 0 {
            guard let method = reader.readPrefixedString(lengthAs: UInt8.self) else { throw .corruptRecord("bad method") }
            record.authenticationMethod = method
        }
        if flags & Flag.address != 0 {
            guard let address = reader.readPrefixedString(lengthAs: UInt8.self) else { throw .corruptRecord("bad address") }
            record.clientAddress = address
        }
        if flags & Flag.userAgent != 0 {
            guard let agent = reader.readPrefixedString(lengthAs: UInt16.self) else { throw .corruptRecord("bad user agent") }
            record.userAgent = agent
        }
        guard let data = reader.readPrefixed(lengthAs: UInt32.self), reader.isAtEnd else {
            throw .corruptRecord("bad data")
        }
        record.data = Array(data)
        return record
    }
}
