import Foundation
import Hummingbird
import Shared

/// Routes for people and tools: sweeps (docs/architecture.md, "The HTTP API").
struct AdminRoutes {
    let sweeps: SweepStore
    let signal: WorkSignal

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/v1/sweeps", .read) { _, _ in
            try JSONResponses.json(Batch(try await sweeps.list()))
        }
        routes.add(.post, "/v1/sweeps", .admin) { request, context in
            let submission = try await JSONResponses.decode(SweepSubmission.self, from: request, context: context)
            if let problem = ResourceName.problem(with: submission.definition.name) {
                throw HTTPError(.badRequest, message: "field \"definition.name\": \(problem)")
            }
            // A client need not have used SweepFileParser: the rules hold here before anything is written.
            let problems = submission.definition.problems()
            if !problems.isEmpty {
                throw HTTPError(.badRequest, message: "definition: " + problems.joined(separator: "; ") + "; nothing was written")
            }
            let outcome = try await sweeps.submit(submission.definition, replace: submission.replace, limit: submission.limit)
            signal.notify()
            switch outcome {
            case .created(let jobs): return try JSONResponses.json(SubmissionAnswer(outcome: .created, jobs: jobs), status: .created)
            case .resumed(let jobs): return try JSONResponses.json(SubmissionAnswer(outcome: .resumed, jobs: jobs))
            case .replaced(let jobs): return try JSONResponses.json(SubmissionAnswer(outcome: .replaced, jobs: jobs), status: .created)
            }
        }
        routes.add(.get, "/v1/sweeps/{name}", .read) { _, context in
            let name = try context.parameters.require("name")
            return try JSONResponses.json(try await sweeps.status(name))
        }
        for action in [SweepStore.Action.cancel, .pause, .resume] {
            routes.add(.post, "/v1/sweeps/{name}/\(action.rawValue)", .admin) { _, context in
                let name = try context.parameters.require("name")
                try await sweeps.apply(action, to: name)
                if action == .resume { signal.notify() }
                return try JSONResponses.json(try await sweeps.status(name))
            }
        }
        routes.add(.post, "/v1/sweeps/{name}/retry-failed", .admin) { _, context in
            let name = try context.parameters.require("name")
            _ = try await sweeps.retryFailed(name)
            signal.notify()
            return try JSONResponses.json(try await sweeps.status(name))
        }
    }
}
