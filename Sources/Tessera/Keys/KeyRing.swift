import Foundation

/// A set of secret keys with ids: one signs or seals, all of them verify.
///
/// Rotation works the way Django's `SECRET_KEY_FALLBACKS` and Tornado's key
/// versions do, with dates so that servers need not switch at the same
/// instant:
/// - a new key is added with a `notBefore` in the future: every server can
///   verify with it at once, and it becomes the signer at `notBefore`;
/// - an old key gets a `notAfter`: it stops signing then, but goes on
///   verifying until it is removed from the ring (ASVS 13.3.4).
///
/// The signing key is the one whose window contains now with the latest
/// `notBefore` (a key without one counts as the oldest); a tie goes to the
/// key listed last.
public struct KeyRing: Sendable, CustomStringConvertible {
    /// One key of the ring.
    public struct Entry: Sendable, CustomStringConvertible {
        /// The id written into every token this key makes.
        public let id: String
        /// The master secret.
        public let secret: SecretKey
        /// The key may sign from this instant on.
        public let notBefore: Date?
        /// The key stops signing at this instant; it still verifies.
        public let notAfter: Date?

        /// Creates an entry.
        /// - Throws: ``KeyError/invalidKeyID(_:)`` or ``KeyError/invalidWindow(keyID:)``.
        public init(id: String, secret: SecretKey, notBefore: Date? = nil, notAfter: Date? = nil) throws(KeyError) {
            guard KeyRing.isValidKeyID(id) else { throw .invalidKeyID(id) }
            if let notBefore, let notAfter, notAfter <= notBefore { throw .invalidWindow(keyID: id) }
            self.id = id
            self.secret = secret
            self.notBefore = notBefore
            self.notAfter = notAfter
        }

        /// Whether the key may sign at `date`.
        public func maySign(at date: Date) -> Bool {
            if let notBefore, date < notBefore { return false }
            if let notAfter, date >= notAfter { return false }
            return true
        }

        public var description: String { "KeyRing.Entry(id: \(id), secret: redacted)" }
    }

    /// The longest key id.
    public static let maximumKeyIDLength = 32

    /// The keys in the order given.
    public let entries: [Entry]
    private let indexByID: [String: Int]
    /// The signer when no key has dates (then it is always the last key).
    private let fixedPrimary: Int?

    /// Creates a ring.
    /// - Throws: ``KeyError/emptyRing`` or ``KeyError/duplicateKeyID(_:)``.
    public init(_ entries: [Entry]) throws(KeyError) {
        guard !entries.isEmpty else { throw .emptyRing }
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            guard index[entry.id] == nil else { throw .duplicateKeyID(entry.id) }
            index[entry.id] = position
        }
        self.entries = entries
        self.indexByID = index
        self.fixedPrimary = entries.allSatisfy({ $0.notBefore == nil && $0.notAfter == nil }) ? entries.count - 1 : nil
    }

    /// A ring of one key with id `id`.
    public init(single secret: SecretKey, id: String = "k1") throws(KeyError) {
        try self.init([Entry(id: id, secret: secret)])
    }

    /// The key with this id, whatever its dates.
    public func entry(id: String) -> Entry? {
        indexByID[id].map { entries[$0] }
    }

    /// The key that signs at `date`.
    /// - Throws: ``KeyError/noActiveKey`` when no window contains `date`.
    public func primary(at date: Date = Date()) throws(KeyError) -> Entry {
        entries[try primaryIndex(at: date)]
    }

    /// The position in ``entries`` of the key that signs at `date`.
    public func primaryIndex(at date: Date = Date()) throws(KeyError) -> Int {
        if let fixedPrimary { return fixedPrimary }
        var best: Int?
        for (index, entry) in entries.enumerated() where entry.maySign(at: date) {
            if let current = best, (entries[current].notBefore ?? .distantPast) > (entry.notBefore ?? .distantPast) { continue }
            best = index
        }
        guard let best else { throw .noActiveKey }
        return best
    }

    /// Whether `id` is 1–32 characters of `A-Z a-z 0-9 - _` (safe inside
    /// every token format and never confused with a separator).
    public static func isValidKeyID<Text: StringProtocol>(_ id: Text) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maximumKeyIDLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }

    public var description: String { "KeyRing(\(entries.map(\.id).joined(separator: ", ")))" }
}
