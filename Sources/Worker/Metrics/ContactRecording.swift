import Foundation
import Shared

/// A coordinator that notes every answer in a `CoordinatorContact`: every
/// call a worker makes (leases, beats, reports, permits, images, batch
/// work) counts, whichever part of the worker made it.
struct ContactRecording: WorkerCoordinator {
    let base: any WorkerCoordinator
    let contact: CoordinatorContact

    private func noted<T>(_ call: () async throws -> T) async throws -> T {
        let answer = try await call()
        contact.answered()
        return answer
    }

    func endpoints() async throws -> [EndpointDescriptor] { try await noted { try await base.endpoints() } }
    func lease(_ request: LeaseRequest) async throws -> [JobLease] { try await noted { try await base.lease(request) } }
    func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemAnswer] { try await noted { try await base.heartbeat(leases) } }
    func complete(_ results: [JobResult]) async throws -> [ItemAnswer] { try await noted { try await base.complete(results) } }
    func fail(_ failures: [JobFailure]) async throws -> [ItemAnswer] { try await noted { try await base.fail(failures) } }
    func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemAnswer] { try await noted { try await base.deferToBatch(deferrals) } }
    func release(_ leases: [LeaseReference]) async throws -> [ItemAnswer] { try await noted { try await base.release(leases) } }
    func batchTask(_ request: BatchLeaseRequest) async throws -> BatchTask? { try await noted { try await base.batchTask(request) } }
    func renewBatch(_ batchID: Int64, leaseToken: UUID) async throws -> Bool {
        try await noted { try await base.renewBatch(batchID, leaseToken: leaseToken) }
    }
    func reportBatch(_ batchID: Int64, _ report: BatchReport) async throws -> Bool {
        try await noted { try await base.reportBatch(batchID, report) }
    }
    func permits(_ requests: [PermitRequest]) async throws -> [PermitGrant] { try await noted { try await base.permits(requests) } }
    func cachedAnswers(_ keys: [String]) async throws -> [CachedAnswer] { try await noted { try await base.cachedAnswers(keys) } }
    func image(sha256: String) async throws -> [UInt8] { try await noted { try await base.image(sha256: sha256) } }
}
