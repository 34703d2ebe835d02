import Foundation

/// A `/metrics` page in Prometheus' text format, read back for tests.
public struct PrometheusText: Sendable {
    /// One sample line: its name, labels and value.
    public struct Sample: Sendable, Equatable {
        /// The metric name (with `_bucket`, `_sum`, `_count` for histograms).
        public var name: String
        /// The labels.
        public var labels: [String: String]
        /// The value.
        public var value: Double
    }

    /// Every sample, in page order.
    public let samples: [Sample]

    /// Reads `text`; lines it cannot read are skipped.
    public init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { Self.sample(String($0)) }
    }

    /// The sum of the samples named `name` whose labels include `labels`; `nil` when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    /// The values of label `label` among the samples named `name`.
    public func labelValues(_ name: String, _ label: String) -> Set<String> {
        Set(samples.filter { $0.name == name }.compactMap { $0.labels[label] })
    }

    private static func sample(_ line: String) -> Sample? {
        guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            return nil
        }
        let series = line[..<space]
        guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
        guard series.last == "}" else { return nil }
        let inside = series[series.index(after: brace)..<series.index(before: series.endIndex)]
        return Sample(name: String(series[..<brace]), labels: labels(inside), value: value)
    }

    /// `key="value",…` with `\\`, `\"` and `\n` escapes in values.
    private static func labels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var index = rest.index(after: equals)
            guard index < rest.endIndex, rest[index] == "\"" else { break }
            index = rest.index(after: index)
            var value = ""
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\", rest.index(after: index) < rest.endIndex {
                    index = rest.index(after: index)
                    value.append(rest[index] == "n" ? "\n" : rest[index])
                } else {
                    value.append(rest[index])
                }
                index = rest.index(after: index)
            }
            labels[key] = value
            rest = index < rest.endIndex ? rest[rest.index(after: index)...] : ""
        }
        return labels
    }
}
