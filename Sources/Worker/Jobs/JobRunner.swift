import Foundation
import Shared

/// Runs one lease to its ending. Never throws: every way a job can end is a
/// `JobEnding` the coordinator understands. `JobRunner` is the real one;
/// tests of the worker loop run a scripted one.
public protocol JobRunning: Sendable {
    /// The ending of `lease`, which lives `ttl` between heartbeats.
    func run(_ lease: JobLease, ttl: Duration) async -> JobEnding
}

/// Runs a lease by calling the models it names, with permits, images and the response cache.
public struct JobRunner: JobRunning {
    let gateway: ModelGateway
    let permits: PermitBroker
    let images: ImageCache
    let cache: ResponseCacheClient
    /// Retryable provider errors retried inside one lease before it is handed back.
    public var retriesPerLease = 3
    /// Times a judge is asked before its verdict counts as unknown (or the fallback is asked).
    public var asksPerJudge = 3

    /// A runner calling models through `gateway`.
    public init(
        gateway: ModelGateway, permits: PermitBroker, images: ImageCache,
        cachedAnswers: @escaping @Sendable ([String]) async throws -> [CachedAnswer]
    ) {
        self.gateway = gateway
        self.permits = permits
        self.images = images
        self.cache = ResponseCacheClient(lookup: cachedAnswers)
    }

    /// The ending of `lease`, which lives `ttl` between heartbeats, with the
    /// limits its endpoint last stated.
    public func run(_ lease: JobLease, ttl: Duration) async -> JobEnding {
        let ending = await end(lease, ttl: ttl)
        guard let stated = gateway.limits.limits(for: lease.model.endpointKey) else { return ending }
        switch ending {
        case .result(var result):
            result.limits = stated
            return .result(result)
        case .failure(var failure):
            failure.limits = stated
            return .failure(failure)
        case .deferral, .release:
            return ending
        }
    }

    private func end(_ lease: JobLease, ttl: Duration) async -> JobEnding {
        let session = LeaseSession(lease: lease, ttl: ttl, gateway: gateway, permits: permits, retriesPerLease: retriesPerLease)
        do {
            let image = try await images.image(sha256: lease.testCase.imageSHA256)
            switch lease.kind {
            case .generate:
                let samples = try await GenerateJob(session: session, image: image, cache: cache).run()
                return .result(JobResult(lease: lease.reference, samples: samples, usage: session.usage))
            case .mcqa:
                let sample = try await MCQAJob(session: session, image: image, cache: cache).run()
                return .result(JobResult(lease: lease.reference, samples: [sample], usage: session.usage))
            case .judgeSafety, .judgeEffectiveness:
                let verdict = try await JudgeJob(session: session, image: image, cache: cache, asksPerJudge: asksPerJudge).run()
                return .result(JobResult(lease: lease.reference, verdict: verdict, usage: session.usage))
            }
        } catch let wait as Deferred {
            return .deferral(JobDeferral(lease: lease.reference, samples: wait.samples, calls: wait.calls, usage: session.usage))
        } catch let failed as BatchLineFailed {
            return .failure(Self.failure(lease, failed.stop, samples: [], usage: session.usage))
        } catch is CancellationError {
            return .release(lease.reference)
        } catch let partial as PartialSamples {
            return .failure(Self.failure(lease, partial.stop, samples: partial.samples, usage: session.usage))
        } catch let stop as LeaseStop {
            return .failure(Self.failure(lease, stop, samples: [], usage: session.usage))
        } catch {
            // Reaching the coordinator for an image or a permit failed: worth another lease.
            let failure = ProviderFailure(retryable: true, message: "worker could not prepare the job: \(error)")
            return .failure(Self.failure(lease, LeaseStop(failure), samples: [], usage: session.usage))
        }
    }

    static func failure(_ lease: JobLease, _ stop: LeaseStop, samples: [SampleResult], usage: Usage) -> JobFailure {
        let failure = stop.failure
        return JobFailure(
            lease: lease.reference, retryable: failure.retryable, error: failure.message,
            retryAfterMilliseconds: failure.retryAfter.map { ReportedDelay.milliseconds($0.seconds) },
            throttled: failure.throttled, samples: samples, usage: usage, countsAsAttempt: stop.countsAsAttempt)
    }
}
