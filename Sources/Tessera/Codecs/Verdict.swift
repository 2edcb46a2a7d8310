import Foundation

/// What verifying a signed or sealed token found. Every decoder in Tessera,
/// our own formats and the Python-compatible ones, answers with one of these
/// and never traps on bad input.
public enum Verdict<Value: Sendable>: Sendable {
    /// The token is authentic and within its time limits.
    case valid(Verified<Value>)
    /// The MAC is right but the token is older than the allowed age.
    case expired(issuedAt: Date)
    /// The MAC is right but the token claims an issue time too far ahead.
    case notYetValid(issuedAt: Date)
    /// The MAC or AEAD tag does not match: tampered, or made with another key.
    case badSignature
    /// The token names a key the ring does not hold.
    case unknownKey
    /// The token is not in the expected format.
    case malformed

    /// The value when the verdict is ``valid(_:)``.
    public var value: Value? {
        if case .valid(let verified) = self { return verified.value }
        return nil
    }

    /// Whether the token was accepted.
    public var isValid: Bool { value != nil }

    /// The same verdict with the value transformed (or turned into
    /// ``malformed`` when the transform returns `nil`).
    public func flatMap<Other: Sendable>(_ transform: (Value) -> Other?) -> Verdict<Other> {
        switch self {
        case .valid(let verified):
            guard let other = transform(verified.value) else { return .malformed }
            return .valid(Verified(value: other, issuedAt: verified.issuedAt, keyID: verified.keyID))
        case .expired(let date): return .expired(issuedAt: date)
        case .notYetValid(let date): return .notYetValid(issuedAt: date)
        case .badSignature: return .badSignature
        case .unknownKey: return .unknownKey
        case .malformed: return .malformed
        }
    }

    /// A short, secret-free word for logs and CLI output.
    public var summary: String {
        switch self {
        case .valid: return "valid"
        case .expired: return "expired"
        case .notYetValid: return "not yet valid"
        case .badSignature: return "bad signature"
        case .unknownKey: return "unknown key"
        case .malformed: return "malformed"
        }
    }
}

/// An authenticated value with what the token said about it.
public struct Verified<Value: Sendable>: Sendable {
    /// The authenticated value.
    public let value: Value
    /// When the token was made, for formats that carry a time.
    public let issuedAt: Date?
    /// Which key verified it, for formats with key ids (a caller may re-issue
    /// tokens made with an old key).
    public let keyID: String?

    /// Wraps a value that has been verified.
    public init(value: Value, issuedAt: Date? = nil, keyID: String? = nil) {
        self.value = value
        self.issuedAt = issuedAt
        self.keyID = keyID
    }
}

/// Shared checks of a token's issue time.
enum TokenAge {
    /// `nil` when `issuedAt` is acceptable at `now`, else the failing verdict.
    static func check<Value>(issuedAt: Date, now: Date, maxAge: TimeInterval?, maximumSkew: TimeInterval) -> Verdict<Value>? {
        if issuedAt.timeIntervalSince(now) > maximumSkew { return .notYetValid(issuedAt: issuedAt) }
        if let maxAge, now.timeIntervalSince(issuedAt) > maxAge { return .expired(issuedAt: issuedAt) }
        return nil
    }
}
