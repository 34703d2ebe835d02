import Foundation
import Shared

/// The mock's configuration: defaults for every model, and per-model overrides.
///
/// The file is JSON: the top-level object holds model fields that apply to
/// every model, plus `models`, a map from model name to the fields that differ
/// for it (see docs/mock-provider.md).
public struct MockConfig: Sendable, Equatable {
    /// What a model not named in `models` gets.
    public var defaults: MockModelProfile
    /// Profiles of the models named in the file, already merged over `defaults`.
    public var models: [String: MockModelProfile]

    /// A configuration; by default every model behaves the same.
    public init(defaults: MockModelProfile = .defaults, models: [String: MockModelProfile] = [:]) {
        self.defaults = defaults
        self.models = models
    }

    /// The profile that governs `model`.
    public func profile(for model: String) -> MockModelProfile {
        models[model] ?? defaults
    }

    /// Makes every model's batches end `seconds` after creation (`siuo mock-provider --batch-delay`).
    public mutating func setBatchDelay(_ seconds: Double) {
        defaults.batchDelaySeconds = seconds
        for name in models.keys { models[name]?.batchDelaySeconds = seconds }
    }

    /// Reads a JSON configuration file.
    public static func load(file: String) throws -> MockConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw MockConfigError(file: file, field: "", message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, file: file)
    }

    /// Parses JSON configuration text; `file` names it in errors.
    public static func parse(_ data: Data, file: String = "config") throws -> MockConfig {
        let document: JSONValue
        do {
            document = try JSONDocumentReader.parse(data, file: file)
        } catch {
            throw MockConfigError(file: file, field: "", message: error.description)
        }
        let reader = MockConfigReader(file: file)
        let top = try reader.object(document, at: "", known: MockConfigReader.modelFields + ["models"])
        let defaults = try reader.profile(top, at: "", over: .defaults)
        var models: [String: MockModelProfile] = [:]
        if let entries = top["models"] {
            for (name, value) in try reader.object(entries, at: "models", known: nil) {
                let fields = try reader.object(value, at: "models.\(name)", known: MockConfigReader.modelFields)
                models[name] = try reader.profile(fields, at: "models.\(name)", over: defaults)
            }
        }
        return MockConfig(defaults: defaults, models: models)
    }
}

/// A configuration file the mock refuses, with the field at fault.
public struct MockConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as given.
    public var file: String
    /// Dotted path of the field, empty for the whole file.
    public var field: String
    /// What is wrong.
    public var message: String

    /// `file: field: message`.
    public var description: String {
        field.isEmpty ? "\(file): \(message)" : "\(file): \(field): \(message)"
    }
}
