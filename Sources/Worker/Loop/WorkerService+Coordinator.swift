import Logging
import Shared

extension WorkerService {
    /// A worker that reaches everything through `client`: leases, permits,
    /// images and reports; providers with the keys in `keys`.
    public static func connected(
        to client: any WorkerCoordinator, keys: KeyRing, settings: WorkerSettings,
        requestTimeout: Double, logger: Logger
    ) -> WorkerService {
        let runner = JobRunner(
            gateway: ModelGateway(keys: keys, requestTimeout: requestTimeout),
            permits: PermitBroker(ask: { try await client.permits($0) }),
            images: ImageCache(fetch: { try await client.image(sha256: $0) }),
            cachedAnswers: { try await client.cachedAnswers($0) })
        return WorkerService(settings: settings, coordinator: client, keys: keys, runner: runner, logger: logger)
    }
}
