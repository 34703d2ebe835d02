import Foundation
import Shared

/// The coordinator as a worker sees it: the worker routes of the API. The
/// worker's parts reach the coordinator only through this, so their logic is
/// tested against a fake without sockets; `CoordinatorClient` is the real one.
public protocol WorkerCoordinator: Sendable {
    /// The active endpoints (`GET /v1/endpoints`).
    func endpoints() async throws -> [EndpointDescriptor]
    /// Leases up to `request.maxJobs` jobs, waiting up to its wait for work.
    func lease(_ request: LeaseRequest) async throws -> [JobLease]
    /// Extends leases; an answer per lease, in order.
    func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemAnswer]
    /// Reports results; an answer per result, in order.
    func complete(_ results: [JobResult]) async throws -> [ItemAnswer]
    /// Reports failures; an answer per failure, in order.
    func fail(_ failures: [JobFailure]) async throws -> [ItemAnswer]
    /// Reports batch-lane leases whose requests wait for a batch; an answer per deferral, in order.
    func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemAnswer]
    /// Gives leases back unrun; an answer per lease, in order.
    func release(_ leases: [LeaseReference]) async throws -> [ItemAnswer]
    /// One piece of batch work on these endpoints, or none.
    func batchTask(_ request: BatchLeaseRequest) async throws -> BatchTask?
    /// Extends a batch task's lease before the request that pays; `false`: the lease is gone.
    func renewBatch(_ batchID: Int64, leaseToken: UUID) async throws -> Bool
    /// Reports what came of a batch task; `false`: the lease is gone, nothing was written.
    func reportBatch(_ batchID: Int64, _ report: BatchReport) async throws -> Bool
    /// Rate tokens for requests a lease did not carry; a grant per request, in order.
    func permits(_ requests: [PermitRequest]) async throws -> [PermitGrant]
    /// Stored answers for these cache keys (only the keys found).
    func cachedAnswers(_ keys: [String]) async throws -> [CachedAnswer]
    /// A case image's bytes.
    func image(sha256: String) async throws -> [UInt8]
}

extension CoordinatorClient: WorkerCoordinator {
    /// Gives leases back unrun, with no delay before the jobs may run again.
    public func release(_ leases: [LeaseReference]) async throws -> [ItemAnswer] {
        try await release(leases, retryAfterMilliseconds: nil)
    }
}
