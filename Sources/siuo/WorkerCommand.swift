import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Shared
import Worker

/// `siuo worker`: lease jobs from a coordinator and call the model APIs until SIGTERM/SIGINT.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: lease jobs, call the model APIs with the keys in this environment, report results.",
        discussion: SiuoExit.discussion())

    @OptionGroup var logging: LogOptions

    @Option(name: .customLong("coordinator"), help: ArgumentHelp("Coordinator URL (default: $SIUO_COORDINATOR_URL).", valueName: "url"))
    var coordinator: String?

    @Option(
        name: .customLong("worker-token-file"), help: ArgumentHelp("File holding the worker token (default: $SIUO_WORKER_TOKEN).", valueName: "file"))
    var workerTokenFile: String?

    @Option(help: "Jobs run at once.")
    var concurrency = 64

    @Option(help: ArgumentHelp("Seconds running jobs may take to finish after SIGTERM before they are released.", valueName: "seconds"))
    var grace = 20.0

    @OptionGroup var requestTimeout: RequestTimeoutOption

    @Option(name: .customLong("worker-id"), help: "This worker's id in leases (default: host-pid-random).")
    var workerID: String?

    @Option(
        name: .customLong("metrics-listen"),
        help: ArgumentHelp("Serve /healthz, /readyz and /metrics on this address (port 0: any free port; off by default).", valueName: "host:port"))
    var metricsListen: String?

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        if let metricsListen { _ = try CoordinatorCommand.parse(metricsListen, option: "--metrics-listen") }
        guard grace >= 0, grace.isFinite, grace <= 86_400 else {
            throw ValidationError("--grace must be a number of seconds from 0 to a day, got \(grace)")
        }
    }

    func run() async throws {
        guard let url = Setting.value(coordinator, environment: "SIUO_COORDINATOR_URL") else {
            throw ValidationError("a worker needs a coordinator: pass --coordinator URL or set SIUO_COORDINATOR_URL")
        }
        guard let token = try TokenSource.read(file: workerTokenFile, environment: "SIUO_WORKER_TOKEN") else {
            throw ValidationError("a worker needs the worker token: set SIUO_WORKER_TOKEN or pass --worker-token-file")
        }
        let logger = try logging.bootstrap(label: "siuo.worker", defaultLevel: .info)
        let client = CoordinatorClient(baseURL: url, token: token)
        let keys = KeyRing(environment: ProcessInfo.processInfo.environment)
        var settings = WorkerSettings(concurrency: concurrency, workerID: workerID)
        settings.gracePeriod = .seconds(grace)
        // Unbuffered: supervisors and tests read these lines through a pipe.
        let serving = "worker \(settings.workerID) serving \(url) with concurrency \(concurrency)\n"
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let metrics: WorkerMetrics
        if let metricsListen {
            let (host, port) = try CoordinatorCommand.parse(metricsListen, option: "--metrics-listen")
            let registry = PrometheusCollectorRegistry()
            let factory = WorkerMetrics.prometheusFactory(registry)
            // Once per process, and only here: what libraries record through
            // swift-metrics' global factory lands in the same registry. The
            // worker's own numbers get the factory explicitly (`WorkerMetrics`).
            MetricsSystem.bootstrap(factory)
            metrics = WorkerMetrics(factory: factory)
            let probes = WorkerProbes(registry: registry, contact: metrics.contact)
            // The address first, as the other servers print theirs.
            services.append(
                .init(
                    service: Application(
                        router: probes.router, configuration: .init(address: .hostname(host, port: port), serverName: "siuo-worker"),
                        onServerRunning: { channel in
                            let line = "worker metrics listening on http://\(host):\(channel.localAddress?.port ?? port)\n"
                            FileHandle.standardOutput.write(Data((line + serving).utf8))
                        }, logger: logger)))
        } else {
            metrics = .none
            FileHandle.standardOutput.write(Data(serving.utf8))
        }
        let worker = WorkerService.connected(
            to: client, keys: keys, settings: settings, requestTimeout: requestTimeout.seconds, logger: logger, metrics: metrics)
        // Listed last, so a graceful shutdown stops the worker first and the
        // probes answer while it drains; the worker ending ends the probes too.
        services.append(
            .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
