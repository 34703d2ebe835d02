import Hummingbird
import Shared

/// The viewer's read routes (docs/protocol.md, "Cases"): a sweep's cases with each model's votes, one
/// case with everything said about it, and the role the caller's token grants.
struct CaseRoutes {
    let cases: CaseStore

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/v1/sweeps/{name}/cases", .read) { _, context in
            try JSONResponses.json(try await cases.list(try context.parameters.require("name")))
        }
        routes.add(.get, "/v1/sweeps/{name}/cases/{question_id}", .read) { _, context in
            let name = try context.parameters.require("name")
            return try JSONResponses.json(try await cases.detail(name, questionID: try context.parameters.require("question_id")))
        }
        routes.add(.get, "/v1/whoami", .read) { _, context in
            // `.read` admits every role but the worker's, so the role is known here.
            try JSONResponses.json(["role": context.role?.rawValue ?? ""])
        }
    }
}
