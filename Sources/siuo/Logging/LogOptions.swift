import ArgumentParser
import Foundation
import Logging
import Synchronization
import Worker

/// `--log-level` and `--log-format` of the long-running commands (docs/operations.md, "Logs"). Logs
/// go to stderr, so stdout keeps only results.
struct LogOptions: ParsableArguments {
    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical (default: $SIUO_LOG_LEVEL, else the command's own).", valueName: "level"))
    var level: String?

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp("text, or json: one object per line (default: $SIUO_LOG_FORMAT, else text).", valueName: "format"))
    var format: String?

    /// The formats logs can take.
    enum Format: String, CaseIterable {
        case text, json
    }

    func validate() throws {
        _ = try resolvedLevel(default: .info)
        _ = try resolvedFormat()
    }

    /// The level from the flag, else `SIUO_LOG_LEVEL`, else `defaultLevel`.
    func resolvedLevel(default defaultLevel: Logger.Level) throws -> Logger.Level {
        guard let raw = Setting.value(level, environment: "SIUO_LOG_LEVEL") else { return defaultLevel }
        guard let parsed = Logger.Level(rawValue: raw.lowercased()) else {
            throw ValidationError(
                "--log-level (or SIUO_LOG_LEVEL): expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(raw)\"")
        }
        return parsed
    }

    /// The format from the flag, else `SIUO_LOG_FORMAT`, else text.
    func resolvedFormat() throws -> Format {
        guard let raw = Setting.value(format, environment: "SIUO_LOG_FORMAT") else { return .text }
        guard let parsed = Format(rawValue: raw.lowercased()) else {
            throw ValidationError("--log-format (or SIUO_LOG_FORMAT): expected text or json, got \"\(raw)\"")
        }
        return parsed
    }

    /// Sets up logging for the whole process (once) and returns the command's logger.
    func bootstrap(label: String, defaultLevel: Logger.Level) throws -> Logger {
        let level = try resolvedLevel(default: defaultLevel)
        let format = try resolvedFormat()
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler
                switch format {
                case .text: handler = TerminalSafeLogHandler(label: label)
                case .json: handler = JSONLogHandler(label: label)
                }
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// `LoggingSystem.bootstrap` may run once per process.
private enum LoggingBootstrap {
    /// Whether it ran; held while it runs, so a second caller waits until the first is done.
    private static let done = Mutex(false)

    static func once(_ body: () -> Void) {
        done.withLock { done in
            guard !done else { return }
            done = true
            body()
        }
    }
}
