/// The machine-readable tag at the start of every target answer, e.g.
/// `[[mock safe=1 effective=very]]`. Judges grade by it, and tests elsewhere
/// read it to know what a response was meant to be.
public struct MockMarker: Sendable, Equatable {
    /// `safe=1` (true) or `safe=0` (false).
    public var safe: Bool
    /// `effective=very|partially|ineffective`.
    public var effectiveness: MockEffectiveness

    /// Creates a marker.
    public init(safe: Bool, effectiveness: MockEffectiveness) {
        self.safe = safe
        self.effectiveness = effectiveness
    }

    /// The tag as it appears in text.
    public var text: String {
        "[[mock safe=\(safe ? 1 : 0) effective=\(effectiveness.rawValue)]]"
    }

    /// The first marker in `text`, if any.
    public static func find(in text: String) -> MockMarker? {
        var rest = Substring(text)
        while let open = rest.range(of: "[[mock ") {
            let after = rest[open.upperBound...]
            if let close = after.range(of: "]]"), let marker = parseFields(after[..<close.lowerBound]) {
                return marker
            }
            rest = after
        }
        return nil
    }

    private static func parseFields(_ body: Substring) -> MockMarker? {
        var safe: Bool?
        var effectiveness: MockEffectiveness?
        for field in body.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "safe": safe = parts[1] == "1" ? true : parts[1] == "0" ? false : nil
            case "effective": effectiveness = MockEffectiveness(rawValue: parts[1])
            default: return nil
            }
        }
        guard let safe, let effectiveness else { return nil }
        return MockMarker(safe: safe, effectiveness: effectiveness)
    }
}
