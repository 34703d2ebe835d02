import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared
import Worker

/// `siuo worker`: lease jobs from a coordinator and call the model APIs until SIGTERM/SIGINT.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: lease jobs, call the model APIs with the keys in this environment, report results.",
        discussion: SiuoExit.discussion())

    @Option(name: .customLong("coordinator"), help: ArgumentHelp("Coordinator URL (default: $SIUO_COORDINATOR_URL).", valueName: "url"))
    var coordinator: String?

    @Option(
        name: .customLong("worker-token-file"), help: ArgumentHelp("File holding the worker token (default: $SIUO_WORKER_TOKEN).", valueName: "file"))
    var workerTokenFile: String?

    @Option(help: "Jobs run at once.")
    var concurrency = 64

    @Option(help: ArgumentHelp("Seconds running jobs may take to finish after SIGTERM before they are released.", valueName: "seconds"))
    var grace = 20.0

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds one provider request may take.", valueName: "seconds"))
    var requestTimeout = 180.0

    @Option(name: .customLong("worker-id"), help: "This worker's id in leases (default: host-pid-random).")
    var workerID: String?

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        guard grace >= 0, grace.isFinite, requestTimeout > 0, requestTimeout.isFinite, requestTimeout <= 86_400 else {
            throw ValidationError("--grace and --request-timeout must be positive numbers of seconds (a day at most)")
        }
    }

    func run() async throws {
        guard let url = Setting.value(coordinator, environment: "SIUO_COORDINATOR_URL") else {
            throw ValidationError("a worker needs a coordinator: pass --coordinator URL or set SIUO_COORDINATOR_URL")
        }
        guard let token = try TokenSource.read(file: workerTokenFile, environment: "SIUO_WORKER_TOKEN") else {
            throw ValidationError("a worker needs the worker token: set SIUO_WORKER_TOKEN or pass --worker-token-file")
        }
        var logger = Logger(label: "siuo.worker")
        logger.logLevel = .info
        let client = CoordinatorClient(baseURL: url, token: token)
        let keys = KeyRing(environment: ProcessInfo.processInfo.environment)
        var settings = WorkerSettings(concurrency: concurrency, workerID: workerID)
        settings.gracePeriod = .seconds(grace)
        let worker = WorkerService.connected(to: client, keys: keys, settings: settings, requestTimeout: requestTimeout, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        FileHandle.standardOutput.write(Data("worker \(settings.workerID) serving \(url) with concurrency \(concurrency)\n".utf8))
        try await group.run()
    }
}
