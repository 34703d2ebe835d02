import Foundation
import Hummingbird
import Shared

/// Routes for workers doing batch work (docs/architecture.md, "Batch mode"):
/// take a task on a batch, renew its lease before the request that pays,
/// report what came of it.
struct BatchRoutes {
    let batches: BatchStore
    let signal: WorkSignal

    func register(on routes: inout RouteRegistrar) {
        routes.add(.post, "/v1/batches/lease", .worker) { request, context in
            let body = try await JSONResponses.decode(BatchLeaseRequest.self, from: request, context: context)
            return try JSONResponses.json(BatchLeaseGrant(task: try await batches.lease(body)))
        }
        routes.add(.post, "/v1/batches/{batch_id}/renew", .worker) { request, context in
            let batchID = try Self.batchID(context)
            let body = try await JSONResponses.decode(BatchRenewal.self, from: request, context: context)
            return try Self.single(batchID, try await batches.renew(batchID: batchID, leaseToken: body.leaseToken))
        }
        routes.add(.post, "/v1/batches/{batch_id}/report", .worker) { request, context in
            let batchID = try Self.batchID(context)
            let report = try await JSONResponses.decode(BatchReport.self, from: request, context: context)
            let status = try await batches.report(batchID: batchID, report)
            // A closed batch sends its jobs back to the queue: wake lease waiters.
            if status == .accepted { signal.notify() }
            return try Self.single(batchID, status)
        }
    }

    private static func batchID(_ context: APIContext) throws -> Int64 {
        guard let id = context.parameters.get("batch_id", as: Int64.self) else {
            throw HTTPError(.badRequest, message: "path: the batch id must be a number")
        }
        return id
    }

    /// 409 for a lease that is no longer current, like the single-job routes.
    private static func single(_ batchID: Int64, _ status: ItemStatus) throws -> Response {
        guard status == .accepted else {
            return JSONResponses.error(.conflict, "batch \(batchID): the lease is no longer current; nothing was written")
        }
        return try JSONResponses.json(BatchAnswer(batchID: batchID, status: status))
    }
}
