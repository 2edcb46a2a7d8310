import Foundation

/// Appends fixed-width little-endian fields and length-prefixed byte strings:
/// the compact encoding behind stored session records and values.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(_ value: UInt8) { bytes.append(value) }

    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ date: Date) {
        append(date.timeIntervalSince1970.bitPattern)
    }

    mutating func appendRaw<Bytes: Collection>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// A length (as `Length`) then the bytes; `false` if they don't fit the length field.
    @discardableResult
    mutating func appendPrefixed<Length: FixedWidthInteger & UnsignedInteger, Bytes: Collection>(
        _ raw: Bytes, lengthAs: Length.Type
    ) -> Bool where Bytes.Element == UInt8 {
        guard raw.count <= Int(Length.max) else { return false }
        append(Length(raw.count))
        bytes.append(contentsOf: raw)
        return true
    }
}

/// Reads what ``BinaryWriter`` wrote. Every read is bounds-checked and
/// returns `nil` past the end, so a truncated or forged record fails to
/// decode instead of trapping.
struct BinaryReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readByte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func read<Integer: FixedWidthInteger>(_: Integer.Type) -> Integer? {
        let size = MemoryLayout<Integer>.size
        guard bytes.count - offset >= size else { return nil }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Integer.self) }
        offset += size
        return Integer(littleEndian: value)
    }

    mutating func readDate() -> Date? {
        guard let bits = read(UInt64.self) else { return nil }
        let seconds = Double(bitPattern: bits)
        guard seconds.isFinite else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    mutating func readRaw(count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func readPrefixed<Length: FixedWidthInteger & UnsignedInteger>(lengthAs: Length.Type) -> ArraySlice<UInt8>? {
        guard let length = read(Length.self) else { return nil }
        return readRaw(count: Int(length))
    }

    mutating func readPrefixedString<Length: FixedWidthInteger & UnsignedInteger>(lengthAs: Length.Type) -> String? {
        guard let raw = readPrefixed(lengthAs: Length.self) else { return nil }
        return String(validating: raw, as: UTF8.self)
    }
}
