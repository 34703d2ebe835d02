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
}
