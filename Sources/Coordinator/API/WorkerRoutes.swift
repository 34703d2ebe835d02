import Foundation
import Hummingbird
import Shared

/// Routes for workers (docs/architecture.md, "The life of a job"): endpoints, leases, heartbeats, results,
/// failures, deferrals to a batch, releases, permits and images.
struct WorkerRoutes {
    let jobs: JobStore
    let sweeps: SweepStore
    let images: ImageStore
    let cache: ResponseCacheStore
    let signal: WorkSignal
    let metrics: CoordinatorMetrics
    let timing: LeaseWaitTiming

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/v1/endpoints", .worker) { _, _ in
            try JSONResponses.json(Batch(try await sweeps.activeEndpoints()))
        }
        routes.add(.post, "/v1/leases", .worker) { request, context in
            let leases = try await lease(try await JSONResponses.decode(LeaseRequest.self, from: request, context: context))
            return JSONResponses.json(bytes: try LeaseGrant(leases: leases).json())
        }
        routes.add(.post, "/v1/heartbeats", .worker) { request, context in
            let items = try await JSONResponses.decode(Batch<LeaseReference>.self, from: request, context: context).items
            return try answer(items.map(\.jobID), try await jobs.heartbeat(items))
        }
        routes.add(.post, "/v1/results", .worker) { request, context in
            let items = try await JSONResponses.decode(Batch<JobResult>.self, from: request, context: context) {
                bytes throws(JSONBytesReader.Unreadable) in
                Batch(try JobResult.readBatch(bytes))
            }.items
            return try answer(items.map(\.lease.jobID), try await complete(items))
        }
        routes.add(.post, "/v1/failures", .worker) { request, context in
            let items = try await JSONResponses.decode(Batch<JobFailure>.self, from: request, context: context).items
            return try answer(items.map(\.lease.jobID), try await fail(items))
        }
        routes.add(.post, "/v1/deferrals", .worker) { request, context in
            let items = try await JSONResponses.decode(Batch<JobDeferral>.self, from: request, context: context).items
            return try answer(items.map(\.lease.jobID), try await jobs.deferToBatch(items))
        }
        routes.add(.post, "/v1/releases", .worker) { request, context in
            let body = try await JSONResponses.decode(ReleaseRequest.self, from: request, context: context)
            let statuses = try await jobs.release(body.items, retryAfterMilliseconds: body.retryAfterMilliseconds)
            signal.notify()
            return try answer(body.items.map(\.jobID), statuses)
        }
        routes.add(.post, "/v1/permits", .worker) { request, context in
            let items = try await JSONResponses.decode(Batch<PermitRequest>.self, from: request, context: context).items
            if let bad = items.firstIndex(where: { !(0...PermitRequest.maxCount).contains($0.count) }) {
                throw HTTPError(.badRequest, message: "field \"items[\(bad)].count\": expected 0 to \(PermitRequest.maxCount)")
            }
            return try JSONResponses.json(Batch(try await jobs.grantPermits(items)))
        }
        routes.add(.post, "/v1/jobs/{job_id}/result", .worker) { request, context in
            let result = try await JSONResponses.decode(JobResult.self, from: request, context: context)
            try checkPath(context, matches: result.lease.jobID)
            return try single(result.lease.jobID, try await complete([result]))
        }
        routes.add(.post, "/v1/jobs/{job_id}/failure", .worker) { request, context in
            let failure = try await JSONResponses.decode(JobFailure.self, from: request, context: context)
            try checkPath(context, matches: failure.lease.jobID)
            return try single(failure.lease.jobID, try await fail([failure]))
        }
        routes.add(.post, "/v1/cache/lookup", .worker) { request, context in
            let keys = try await JSONResponses.decode(Batch<String>.self, from: request, context: context).items
            guard keys.count <= 10_000 else { throw HTTPError(.badRequest, message: "field \"items\": at most 10000 keys") }
            return try JSONResponses.json(Batch(try await cache.answers(keys)))
        }
        routes.add(.get, "/v1/images/{sha256}", .images) { _, context in
            let sha256 = try context.parameters.require("sha256")
            guard let image = try await images.image(sha256: sha256) else {
                return JSONResponses.error(.notFound, "no image with sha256 \(sha256)")
            }
            // Content-addressed: the bytes behind a hash never change.
            return Response(
                status: .ok,
                headers: [
                    .contentType: image.mediaType, .cacheControl: "public, max-age=31536000, immutable",
                    .eTag: "\"\(sha256)\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: image.bytes)))
        }
    }

    /// Claims at once; with nothing to lease, waits until the signal says
    /// work may be there (made here, or by another replica through the
    /// listener), re-checking every `timing` interval, until `wait_ms` runs out.
    private func lease(_ request: LeaseRequest) async throws -> [JobLease] {
        guard request.maxJobs > 0 else { throw HTTPError(.badRequest, message: "field \"max_jobs\": must be greater than 0") }
        guard request.maxJobs <= LeaseRequest.maxJobsLimit else {
            throw HTTPError(.badRequest, message: "field \"max_jobs\": at most \(LeaseRequest.maxJobsLimit)")
        }
        // A longer wait is cut to `timing.longest`; a negative one is a mistake.
        guard request.waitMilliseconds >= 0 else { throw HTTPError(.badRequest, message: "field \"wait_ms\": must not be negative") }
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + min(.milliseconds(request.waitMilliseconds), timing.longest)
        var claiming = Duration.zero
        while true {
            // Taken before the claim: a notification while it runs ends the wait below at once.
            let mark = signal.mark
            let claimStarted = clock.now
            let leases = try await jobs.claim(request)
            claiming += clock.now - claimStarted
            if !leases.isEmpty || clock.now >= deadline || Task.isCancelled {
                metrics.leased(leases.count, claiming: claiming, waiting: clock.now - started - claiming)
                return leases
            }
            await signal.wait(after: mark, upTo: min(timing.recheck(for: signal), deadline - clock.now))
        }
    }

    private func complete(_ results: [JobResult]) async throws -> [ItemStatus] {
        let statuses = try await jobs.complete(results)
        metrics.results(statuses.map(\.rawValue))
        signal.notify()
        return statuses
    }

    private func fail(_ failures: [JobFailure]) async throws -> [ItemStatus] {
        for failure in failures {
            metrics.failure(failure.throttled ? "throttled" : failure.retryable ? "retryable" : "permanent")
        }
        return try await jobs.fail(failures)
    }

    private func answer(_ ids: [Int64], _ statuses: [ItemStatus]) throws -> Response {
        JSONResponses.json(bytes: ItemAnswer.batchJSON(zip(ids, statuses).map { ItemAnswer(jobID: $0, status: $1) }))
    }

    private func checkPath(_ context: APIContext, matches jobID: Int64) throws {
        guard context.parameters.get("job_id", as: Int64.self) == jobID else {
            throw HTTPError(.badRequest, message: "field \"lease.job_id\": does not match the job in the path")
        }
    }

    /// Single-item writes answer 409 for a lease that is no longer current.
    private func single(_ jobID: Int64, _ statuses: [ItemStatus]) throws -> Response {
        guard statuses.first == .accepted else {
            return JSONResponses.error(.conflict, "job \(jobID): the lease is no longer current; nothing was written")
        }
        return try JSONResponses.json(ItemAnswer(jobID: jobID, status: .accepted))
    }
}
