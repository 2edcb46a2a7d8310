import Logging
import Metrics

/// Writes ``AuditEvent``s as structured swift-log lines and counts them
/// with swift-metrics (`tessera_audit_events_total{event="…"}`).
///
/// Each event is one line with the message `audit` and metadata `event`
/// plus the event's fields, at `notice` (routine) or `warning`
/// (failures and detections), and `client` when an address is given.
public struct AuditLog: Sendable {
    /// The metric every event increments, with an `event` dimension.
    public static let metricLabel = "tessera_audit_events_total"

    /// Where lines go.
    public let logger: Logger

    /// An audit log writing to `logger`.
    public init(logger: Logger = Logger(label: "tessera.audit")) {
        self.logger = logger
    }

    /// Records `event`, from client `address` if known.
    public func record(_ event: AuditEvent, client address: String? = nil) {
        var metadata: Logger.Metadata = ["event": .string(event.name)]
        for (key, value) in event.fields { metadata[key] = .string(SafeText.printable(value)) }
        if let address { metadata["client"] = .string(SafeText.printable(address)) }
        logger.log(level: event.isWarning ? .warning : .notice, "audit", metadata: metadata)
        Counter(label: Self.metricLabel, dimensions: [("event", event.name)]).increment()
    }
}
