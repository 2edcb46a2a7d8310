/// A typed name for one value in a session.
///
/// ```swift
/// extension SessionKey where Value == [String] {
///     static let cart = SessionKey("cart")
/// }
/// try session.set(.cart, ["sku-1"])
/// let cart = try session.get(.cart) ?? []
/// ```
///
/// Values are stored as JSON, one key at a time, so two requests that set
/// different keys of one session never overwrite each other.
public struct SessionKey<Value: Codable & Sendable>: Sendable, Hashable {
    /// The name the value is stored under.
    public let name: String

    /// Creates a key; `name` must be unique within your application.
    public init(_ name: String) {
        self.name = name
    }
}
