import Coordinator
import Foundation
import Shared

/// A statement's plan as PostgreSQL would run it, for tests that hold a
/// statement to an access path whatever the statistics say.
public struct PlannedStatement: Sendable {
    /// What the test calls it in its messages.
    public var name: String
    /// The parameter types, as `PREPARE` takes them (`bigint[], uuid[]`).
    public var types: String
    /// The statement.
    public var sql: String
    /// The arguments, as SQL literals (`'{1,2}', 'w'`).
    public var arguments: String

    /// A statement to plan.
    public init(_ name: String, types: String, sql: String, arguments: String) {
        self.name = name
        self.types = types
        self.sql = sql
        self.arguments = arguments
    }

    /// Its plans (`EXPLAIN (FORMAT JSON)`, not run): the generic one, then
    /// the custom one (`plan_cache_mode`), each labelled "name, mode".
    public func plans(on pool: PostgresPool) async throws -> [(label: String, plan: String)] {
        var plans: [(String, String)] = []
        for mode in ["force_generic_plan", "force_custom_plan"] {
            let prepared = "planned_" + name.lowercased().filter(\.isLetter) + "_" + mode
            let plan = try await pool.withTransaction { connection in
                try await connection.query("SET LOCAL plan_cache_mode = \(mode)")
                try await connection.query("PREPARE \(prepared)(\(types)) AS \(sql)")
                let rows = try await connection.query("EXPLAIN (FORMAT JSON) EXECUTE \(prepared)(\(arguments))")
                try await connection.query("DEALLOCATE \(prepared)")
                return try rows[0].decode(String.self, "QUERY PLAN")
            }
            plans.append(("\(name), \(mode)", plan))
        }
        return plans
    }

    /// The tables an `EXPLAIN (FORMAT JSON)` plan reads by sequential scan.
    public static func sequentialScans(in plan: String) throws -> Set<String> {
        func walk(_ node: JSONValue) -> Set<String> {
            var found: Set<String> = []
            if node["Node Type"]?.stringValue == "Seq Scan", let relation = node["Relation Name"]?.stringValue {
                found.insert(relation)
            }
            let children: [JSONValue] =
                switch node {
                case .array(let items): items
                case .object(let members): [members["Plan"], members["Plans"]].compactMap { $0 }
                default: []
                }
            for child in children { found.formUnion(walk(child)) }
            return found
        }
        return walk(try JSONDecoder().decode(JSONValue.self, from: Data(plan.utf8)))
    }
}
