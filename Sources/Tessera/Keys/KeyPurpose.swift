/// What a derived key is for. One master secret never signs two kinds of
/// things: each purpose gets its own HKDF sub-key.
public struct KeyPurpose: Hashable, Sendable, CustomStringConvertible {
    /// The HKDF `info` label.
    public let label: String

    /// A purpose with an application-chosen label, such as `"session"` or
    /// `"remember-me"`.
    public init(_ label: String) { self.label = label }

    public var description: String { label }
}
