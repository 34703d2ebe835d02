import Foundation
import Logging
import ServiceLifecycle
import Shared
import Synchronization
import Worker

/// The part of `siuo run` after the coordinator listens: submit the sweep
/// over HTTP, run the local workers, show progress, and end the run when the
/// sweep is finished, stopped by its budget, or interrupted.
struct RunDriver: Service {
    let definition: SweepDefinition
    let coordinatorURL: CoordinatorAddress
    let adminToken: String
    let workerToken: String
    /// The local workers' ids (recorded, so a later run can take back their leases if this one is killed).
    let workerIDs: [String]
    let concurrency: Int
    /// Seconds one provider request may take (`--request-timeout`).
    let requestTimeout: Double
    /// `--limit`: the first N cases only.
    let limit: Int?
    let outcome: RunOutcome
    /// `--progress`.
    let progress: ProgressOption.Mode
    let logger: Logger

    func run() async throws {
        let base = try await coordinatorURL.wait()
        let admin = CoordinatorClient(baseURL: base, token: adminToken)
        let submitted = try await admin.submit(definition, replace: false, limit: limit)
        Console.line("sweep \(definition.name): \(submitted.outcome.rawValue), \(submitted.jobs) new jobs" + CaseLimitOption.note(limit))
        let workerGroup = ServiceGroup(
            configuration: .init(
                services: workerIDs.map { id in
                    .init(
                        service: Self.worker(
                            id: id, base: base, token: workerToken, concurrency: concurrency, requestTimeout: requestTimeout, logger: logger))
                }, logger: logger))
        let running = Task { try await workerGroup.run() }
        let printer = ProgressPrinter(mode: progress, output: .standardError)
        await withGracefulShutdownHandler {
            await watch(admin, printer: printer)
        } onGracefulShutdown: {
            outcome.set(.interrupted)
        }
        await workerGroup.triggerGracefulShutdown()
        try await running.value
        if let status = try? await admin.status(definition.name) { printer.show(status, force: true) }
    }

    /// How long the status may stay unreadable before the run gives up on it.
    static let statusPatience: Duration = .seconds(60)

    /// Polls the sweep's status until it finishes, its budget stops it,
    /// shutdown begins, or it cannot be read for `statusPatience`.
    private func watch(_ admin: CoordinatorClient, printer: ProgressPrinter) async {
        var failingSince: ContinuousClock.Instant?
        while !Task.isCancelled, outcome.value == nil {
            do {
                let status = try await admin.status(definition.name)
                failingSince = nil
                printer.show(status)
                switch status.state {
                case .done:
                    outcome.set(.done)
                    return
                case .failed:
                    outcome.set(.failed(status.jobs.failed))
                    return
                case .cancelled, .paused:
                    outcome.set(.stopped(status.state))
                    return
                case .running:
                    if status.budgetReached {
                        outcome.set(.budgetReached(status.spentUSD))
                        return
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let since = failingSince ?? .now
                if failingSince == nil { logger.warning("the sweep's status cannot be read", metadata: ["error": "\(error)"]) }
                failingSince = since
                if since.duration(to: .now) > Self.statusPatience {
                    outcome.set(.statusUnreadable("\(error)"))
                    return
                }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    static func worker(id: String, base: String, token: String, concurrency: Int, requestTimeout: Double, logger: Logger) -> WorkerService {
        let client = CoordinatorClient(baseURL: base, token: token)
        let keys = KeyRing(environment: ProcessInfo.processInfo.environment)
        var settings = WorkerSettings(concurrency: concurrency, workerID: id)
        settings.gracePeriod = .seconds(10)
        return WorkerService.connected(to: client, keys: keys, settings: settings, requestTimeout: requestTimeout, logger: logger)
    }
}

/// The coordinator's URL once it listens.
final class CoordinatorAddress: Sendable {
    private let port = Mutex<Int?>(nil)

    func listening(on port: Int) {
        self.port.withLock { $0 = port }
    }

    func wait() async throws -> String {
        while true {
            if let port = port.withLock({ $0 }) { return "http://127.0.0.1:\(port)" }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// How a run ended, for the summary and the exit status.
enum RunEnding: Sendable, Equatable {
    case done
    case failed(Int)
    case budgetReached(Double)
    case stopped(SweepState)
    case interrupted
    /// The sweep's status could not be read for `RunDriver.statusPatience` (a state this build does not know fails its decoding).
    case statusUnreadable(String)
}

/// The first ending recorded wins.
final class RunOutcome: Sendable {
    private let ending = Mutex<RunEnding?>(nil)

    var value: RunEnding? { ending.withLock { $0 } }

    func set(_ value: RunEnding) {
        ending.withLock { if $0 == nil { $0 = value } }
    }
}
