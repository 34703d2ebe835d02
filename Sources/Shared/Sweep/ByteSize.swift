import Foundation

/// Sizes as people write them in a sweep file (`200MB`, `20 MiB`, `1.5GB`, `1000000`) and as messages show them.
/// Decimal units are powers of 1000 (the providers state their limits that way), `Ki`/`Mi`/`Gi` powers of 1024;
/// units ignore case, and a fraction of a byte is dropped.
public enum ByteSize {
    /// Each unit's multiplier, by its lower-cased spelling (`B` optional after a prefix).
    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
        "ki": 1024, "kib": 1024, "mi": 1_048_576, "mib": 1_048_576, "gi": 1_073_741_824, "gib": 1_073_741_824,
    ]

    /// The byte count `text` names, or `nil` when it is not a number with an optional unit.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(number), value.isFinite, let multiplier = units[unit] else { return nil }
        let bytes = (value * multiplier).rounded(.down)
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }

    /// `200 MB`, `20 MiB`, or `1234 bytes` when no unit divides the count.
    public static func describe(_ bytes: Int) -> String {
        for (unit, size) in [("GB", 1_000_000_000), ("GiB", 1_073_741_824), ("MB", 1_000_000), ("MiB", 1_048_576), ("kB", 1000), ("KiB", 1024)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
