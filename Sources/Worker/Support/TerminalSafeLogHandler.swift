import Logging
import Shared

/// The text log format: swift-log's stream handler on stderr, with every
/// message and metadata value made safe for a terminal first
/// (`TerminalText.safe`): log records carry text providers sent (a failed
/// job's error), and an escape sequence in it must not reach the terminal.
/// Line breaks become spaces, so a record stays one line. The `siuo`
/// commands' text log format; here, beside the provider edge whose text it
/// guards.
public struct TerminalSafeLogHandler: LogHandler {
    private var stream: StreamLogHandler

    /// A handler for `label` on standard error.
    public init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    /// The least severe level written.
    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    /// The handler's own metadata, made safe as it is set.
    public var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue.mapValues(Self.safe) }
    }

    /// Metadata added to every record at the time it is written, made safe as it is read.
    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue.map { provider in Logger.MetadataProvider { provider.get().mapValues(Self.safe) } } }
    }

    /// One key of the handler's own metadata, made safe as it is set.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue.map(Self.safe) }
    }

    /// Writes one record, its message, metadata and error made safe.
    public func log(event: LogEvent) {
        var event = event
        event.message = "\(TerminalText.safe(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.safe)
        if let error = event.error {
            event.error = nil
            event.metadata = (event.metadata ?? [:]).merging(["error": .string(TerminalText.safe("\(error)"))]) { first, _ in first }
        }
        stream.log(event: event)
    }

    /// `value` with every string in it made safe.
    public static func safe(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(TerminalText.safe(text))
        case .stringConvertible(let convertible): .string(TerminalText.safe(convertible.description))
        case .array(let values): .array(values.map(safe))
        case .dictionary(let values): .dictionary(values.mapValues(safe))
        }
    }
}
