import Foundation
import Logging
import Shared

/// Writes each log record as one JSON object on one line of stderr: `time` (ISO 8601, UTC),
/// `level`, `label`, `message`, and `metadata` (the logger's, the record's and the provider's, later
/// ones winning), so log pipelines read fields instead of parsing text.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string("\(error)") }
        var text = "{\"time\":" + Self.quoted(Self.now()) + ",\"level\":" + Self.quoted(event.level.rawValue) + ",\"label\":" + Self.quoted(label)
        text += ",\"message\":" + Self.quoted(event.message.description)
        if !merged.isEmpty { text += ",\"metadata\":" + Self.json(.dictionary(merged)) }
        text += ",\"source\":" + Self.quoted(event.source) + "}\n"
        // One write per record: lines from several threads never interleave.
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .stringConvertible(let convertible): return quoted(convertible.description)
        case .array(let values): return "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Controls a terminal would act on (C1 and bidirectional ones too) and the JavaScript line breaks.
            case _ where TerminalText.isControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
