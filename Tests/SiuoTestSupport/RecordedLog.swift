import Logging
import Synchronization

/// A logger whose entries a test reads back.
public final class RecordedLog: Sendable {
    /// One log call.
    public struct Entry: Sendable {
        /// Its level.
        public var level: Logger.Level
        /// Its message.
        public var message: String
        /// Its metadata (the logger's and the call's), as text.
        public var metadata: [String: String]

        /// Level, message and metadata on one line, as any handler would write them.
        public var line: String { "\(level) \(message) \(metadata.sorted { $0.key < $1.key })" }
    }

    private let entries = Mutex<[Entry]>([])

    /// An empty log.
    public init() {}

    /// A logger writing here, at every level.
    public var logger: Logger {
        Logger(label: "test.recorded") { _ in Handler(log: self) }
    }

    /// Every entry so far, oldest first.
    public var all: [Entry] { entries.withLock { $0 } }

    fileprivate func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append(Entry(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
