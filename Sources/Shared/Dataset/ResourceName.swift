/// Names that become parts of URLs, folder names and database keys:
/// sweeps, models and datasets (docs/architecture.md, "Sweep files and identity").
public enum ResourceName {
    /// Why `name` is not acceptable, or `nil` when it is:
    /// 1–64 characters of `A-Za-z0-9._-`.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > 64 { return "is longer than 64 characters" }
        let allowed = name.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        return allowed ? nil : "may contain only A-Z, a-z, 0-9, '.', '_' and '-'"
    }
}
