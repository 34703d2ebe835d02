import Logging
import Shared

extension WorkerService {
    /// A worker that reaches everything through `client`: leases, permits,
    /// images, batch work and reports; providers with the keys in `keys`.
    public static func connected(
        to client: any WorkerCoordinator, keys: KeyRing, settings: WorkerSettings,
        requestTimeout: Double, logger: Logger
    ) -> WorkerService {
        let images = ImageCache(fetch: { try await client.image(sha256: $0) })
        let runner = JobRunner(
            gateway: ModelGateway(keys: keys, requestTimeout: requestTimeout),
            permits: PermitBroker(ask: { try await client.permits($0) }),
            images: images,
            cachedAnswers: { try await client.cachedAnswers($0) })
        // A batch's results (50,000 answers in one file) can be far larger and
        // slower than one answer: a client of its own with a larger cap, and more time.
        let batchTimeout = max(requestTimeout, 600)
        let batchHTTP = CurlMultiClient(maxResponseBytes: BatchWorker.maxResultBytes)
        let batches = BatchWorker(
            workerID: settings.workerID, coordinator: client, keys: keys, images: images,
            api: { BatchAPIs.make(for: $0, http: batchHTTP, keys: keys, timeout: batchTimeout) }, logger: logger)
        return WorkerService(settings: settings, coordinator: client, keys: keys, runner: runner, batches: batches, logger: logger)
    }
}
