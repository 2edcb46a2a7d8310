/// A setting the server can't start with; the message names the setting
/// and what it accepts, never a secret value.
public enum ServerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting `key` holds something unusable.
    case invalidValue(key: String, reason: String)

    public var description: String {
        switch self {
        case .invalidValue(let key, let reason): "invalid setting \(key): \(reason)"
        }
    }
}
