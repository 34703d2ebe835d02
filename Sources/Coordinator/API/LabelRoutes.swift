import Hummingbird
import Shared

/// Human labels on a sweep's responses (docs/protocol.md, "Human review"): read with any reading token,
/// written with a reviewer's (or the admin's).
struct LabelRoutes {
    let labels: LabelStore

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/v1/sweeps/{name}/labels", .read) { _, context in
            try JSONResponses.json(HumanLabels(labels: try await labels.labels(try context.parameters.require("name"))))
        }
        routes.add(.put, "/v1/sweeps/{name}/labels", .label) { request, context in
            let name = try context.parameters.require("name")
            let body = try await JSONResponses.decode(HumanLabels.self, from: request, context: context)
            let written = try await labels.write(body.labels, sweep: name)
            return try JSONResponses.json(["written": written])
        }
    }
}
