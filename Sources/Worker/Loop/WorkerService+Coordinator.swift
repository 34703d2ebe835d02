import Logging
import Shared

extension WorkerService {
    /// A worker that reaches everything through `client`: leases, permits,
    /// images, batch work and reports; providers with the keys in `keys`;
    /// counting in `metrics` (and noting each answer of `client` in its `contact`).
    public static func connected(
        to client: any WorkerCoordinator, keys: KeyRing, settings: WorkerSettings,
        requestTimeout: Double, logger: Logger, metrics: WorkerMetrics = .none
    ) -> WorkerService {
        let client = ContactRecording(base: client, contact: metrics.contact)
        let images = ImageCache(fetch: { try await client.image(sha256: $0) })
        let runner = JobRunner(
            gateway: ModelGateway(keys: keys, requestTimeout: requestTimeout, metrics: metrics),
            permits: PermitBroker(ask: { try await client.permits($0) }, logger: logger),
            images: images,
            cachedAnswers: { try await client.cachedAnswers($0) })
        // A batch's results (50,000 answers in one file) can be far larger and
        // slower than one answer: a client of its own with a larger cap, and more time.
        let batchTimeout = max(requestTimeout, 600)
        let batchHTTP = CurlMultiClient(maxResponseBytes: BatchWorker.maxResultBytes)
        let batches = BatchWorker(
            workerID: settings.workerID, coordinator: client, keys: keys, images: images,
            api: { BatchAPIs.make(for: $0, http: batchHTTP, keys: keys, timeout: batchTimeout) }, logger: logger, metrics: metrics)
        return WorkerService(
            settings: settings, coordinator: client, keys: keys, runner: runner, batches: batches, logger: logger, metrics: metrics)
    }
}
