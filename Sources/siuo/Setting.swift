import Foundation

/// The CLI's one rule for settings: a flag wins, else a non-empty
/// environment variable, else nothing.
enum Setting {
    static func value(_ flag: String?, environment name: String) -> String? {
        if let flag, !flag.isEmpty { return flag }
        return ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
