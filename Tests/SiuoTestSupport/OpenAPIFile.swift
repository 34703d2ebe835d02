import Foundation
import Yams

/// Reads the operations of an OpenAPI 3 file as "METHOD /path".
public enum OpenAPIFile {
    /// Every operation the file documents.
    public static func operations(at path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let document = try Yams.load(yaml: text) as? [String: Any],
            let paths = document["paths"] as? [String: Any]
        else { return [] }
        var operations: Set<String> = []
        let methods = ["get", "post", "put", "patch", "delete"]
        for (route, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in methods where item[method] != nil {
                operations.insert("\(method.uppercased()) \(route)")
            }
        }
        return operations
    }

    /// The `enum` list of `property` of the schema `schema` in `components/schemas`; empty when there is none.
    public static func enumValues(at path: String, schema: String, property: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document = try Yams.load(yaml: text) as? [String: Any]
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let properties = (schemas?[schema] as? [String: Any])?["properties"] as? [String: Any]
        return ((properties?[property] as? [String: Any])?["enum"] as? [Any])?.map { "\($0)" } ?? []
    }
}
