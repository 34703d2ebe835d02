/// Built-in type OIDs (`pg_type`), and their names for error messages.
enum PostgresTypeName {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let uuid: UInt32 = 2950
    static let json: UInt32 = 114
    static let jsonb: UInt32 = 3802
    static let timestamp: UInt32 = 1114
    static let timestamptz: UInt32 = 1184

    static let names: [UInt32: String] = [
        16: "boolean", 17: "bytea", 18: "char", 19: "name", 20: "bigint", 21: "smallint", 23: "integer",
        25: "text", 26: "oid", 114: "json", 700: "real", 701: "double precision", 1042: "character",
        1043: "character varying", 1114: "timestamp", 1184: "timestamptz", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
    ]

    static let integers: Set<UInt32> = [20, 21, 23, 26]
    static let numbers: Set<UInt32> = integers.union([700, 701, 1700])
    static let textual: Set<UInt32> = [18, 19, 25, 114, 1042, 1043, 3802, 2950]

    static func name(of oid: UInt32) -> String {
        names[oid] ?? "type oid \(oid)"
    }
}
