import Foundation

/// The report as pretty JSON with sorted keys, so two reports of the same results are equal
/// byte for byte.
public enum ReportJSON {
    /// The encoder: the wire's date format, pretty, keys sorted.
    public static func encoder() -> JSONEncoder {
        let encoder = WireCoding.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `report` as pretty JSON text, safe to print (`TerminalText.escapingJSON`: the report carries
    /// provider words, a resolved model name or fingerprint, say).
    public static func render(_ report: SweepReport) throws -> String {
        TerminalText.escapingJSON(try encoder().encode(report))
    }
}
