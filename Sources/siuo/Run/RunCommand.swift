import ArgumentParser
import Coordinator
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Shared
import Worker

/// `siuo run SWEEP.yaml`: the whole system on one machine, one command.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep on this machine: database, dataset import, mock provider, coordinator and workers; prints the leaderboard.",
        discussion: """
            Running the same command again resumes where it stopped; a run killed without warning has the leases of \
            its workers taken back at once by the next run on this machine (same --data-dir). \
            With --limit N only the first N cases are run; the same command without --limit extends the sweep to every case.
            A model with `provider: mock` gets a `siuo mock-provider` child on the address its base_url names; \
            a JSON config for it is read from --mock-config, else from SWEEP.mock.json beside the sweep file if present.
            \(SiuoExit.discussion(SiuoExit.allCases))
            """)

    @Argument(help: "The sweep file (YAML).") var sweepFile: String
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LogOptions
    @OptionGroup var progress: ProgressOption
    @Option(help: "Local worker services.") var workers = 2
    @Option(help: "Jobs each worker runs at once.") var concurrency = 16
    @Option(name: .customLong("mock-config"), help: ArgumentHelp("JSON config for the mock provider.", valueName: "file"))
    var mockConfig: String?
    @Flag(name: .customLong("dry-run"), help: "Validate the file, print job counts and an estimate, and exit.") var dryRun = false
    @OptionGroup var limit: CaseLimitOption
    @OptionGroup var requestTimeout: RequestTimeoutOption

    func validate() throws {
        guard workers > 0, concurrency > 0 else { throw ValidationError("--workers and --concurrency must be at least 1") }
    }

    func run() async throws {
        // A bad file exits 2 with every problem named by file, line and field (SiuoExit).
        let definition = try SweepFileParser.load(path: sweepFile)
        let mockAddresses = try MockChildren.addresses(definition, file: sweepFile)
        Self.warnAboutMissingKeys(definition)
        if dryRun { return try await printEstimate(definition) }
        let (ending, pool) = try await runSweep(definition, mockAddresses: mockAddresses)
        try await Self.finish(ending, definition: definition, pool: pool)
    }

    private func printEstimate(_ definition: SweepDefinition) async throws {
        var cases: [EstimatedCase]
        if let gen = definition.dataset.generationFile, let images = definition.dataset.imagesFolder {
            let dataset = try DatasetLoader.load(
                name: definition.dataset.name, generationFile: gen, mcqaFile: definition.dataset.mcqaFile, imagesFolder: images)
            let byName = Dictionary(dataset.images.map { ($0.name, $0) }) { first, _ in first }
            cases = dataset.cases.filter { definition.categories.isEmpty || definition.categories.contains($0.category) }
                .map { EstimatedCase($0, image: byName[$0.imageName]) }
        } else {
            let pool = try await database.open(poolSize: 1)
            guard let stored = try await DatasetStore(pool: pool).estimatedCases(name: definition.dataset.name, categories: definition.categories)
            else {
                throw RunError("dataset \(definition.dataset.name) is not imported and the sweep names no files")
            }
            cases = stored
        }
        let available = cases.count
        if let limit = limit.value { cases = Array(cases.prefix(limit)) }
        let described = cases.count < available ? "the first \(cases.count) of \(available) cases" : "\(cases.count) cases"
        Console.line("\(sweepFile): valid. Sweep \(definition.name) over \(described), \(definition.samples) samples.")
        Console.line(DryRunEstimate(definition, cases: cases).text)
    }

    private func runSweep(_ definition: SweepDefinition, mockAddresses: [String]) async throws -> (RunEnding, PostgresPool) {
        let logger = try logging.bootstrap(label: "siuo.run", defaultLevel: .warning)
        // Two connections a local worker (a lease and a result batch at once), within what one
        // machine's database serves: the embedded cluster allows 200, a stock server 100.
        let (pool, url) = try await database.openWithURL(poolSize: min(8 + workers * 2, 64))
        // A previous run here that was killed left leases no one will give back: take them back now.
        let records = database.runRecords
        for taken in try await records.takeBackAbandoned(databaseURL: url, store: JobStore(pool: pool)) where taken.leases > 0 {
            Console.line("took back \(taken.leases) leases of an earlier run (pid \(taken.pid)) that ended without giving them back")
        }
        let tag = UUID().uuidString.prefix(8).lowercased()
        let workerIDs = (0..<workers).map { "run-\(ProcessInfo.processInfo.processIdentifier)-\(tag)-\($0)" }
        let record = LocalRunRecord(databaseURL: url, workerIDs: workerIDs)
        try records.write(record)
        defer { records.remove(record) }
        try await DatasetPreparer.ensureImported(definition.dataset, pool: pool)
        let mocks = MockChildren()
        do {
            try await mocks.start(addresses: mockAddresses, seed: definition.seed, config: mockConfigPath())
            let ending = try await serve(definition, pool: pool, url: url, workerIDs: workerIDs, logger: logger)
            await mocks.stop()
            return (ending, pool)
        } catch {
            await mocks.stop()
            throw error
        }
    }

    /// Runs the coordinator, its maintenance and the local workers on `pool` until the sweep ends or the run is stopped.
    private func serve(_ definition: SweepDefinition, pool: PostgresPool, url: String, workerIDs: [String], logger: Logger) async throws -> RunEnding
    {
        // Tokens of our own: nothing outside this process needs them.
        let workerToken = UUID().uuidString
        let adminToken = UUID().uuidString
        let api = CoordinatorAPI(
            pool: pool, tokens: try APITokens(worker: workerToken, admin: adminToken), latestMigration: try Migrator(pool: pool).latestVersion)
        let address = CoordinatorAddress()
        let app = Application(
            router: api.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { address.listening(on: $0.localAddress?.port ?? 0) }, logger: logger)
        let outcome = RunOutcome()
        let driver = RunDriver(
            definition: definition, coordinatorURL: address, adminToken: adminToken, workerToken: workerToken,
            workerIDs: workerIDs, concurrency: concurrency, requestTimeout: requestTimeout.seconds, limit: limit.value, outcome: outcome,
            progress: progress.mode,
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: LeaseRescuer(pool: pool, signal: api.signal, logger: logger)),
                    .init(service: JobNotificationListener(url: url, settings: pool.settings, signal: api.signal, logger: logger)),
                    .init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup),
                ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        return outcome.value ?? .interrupted
    }

    /// This machine's workers skip endpoints they hold no key for: say so
    /// (on stderr) before the run or in the dry run, not after a silent wait.
    private static func warnAboutMissingKeys(_ definition: SweepDefinition) {
        let keys = KeyRing(environment: ProcessInfo.processInfo.environment)
        let models = definition.models + definition.judges
        for model in models where keys.lacksKey(for: model) {
            guard let variable = model.apiKeyEnvironment else { continue }
            let line =
                "warning: model \(model.name) needs a key in \(KeyRing.describe(variable, provider: model.provider)); "
                + "this machine's workers will not run its jobs\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    private func mockConfigPath() -> String? {
        if let mockConfig { return mockConfig }
        let beside = URL(fileURLWithPath: sweepFile).deletingPathExtension().path + ".mock.json"
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }

    /// Prints the leaderboard and the summary, and exits with the ending's status.
    static func finish(_ ending: RunEnding, definition: SweepDefinition, pool: PostgresPool) async throws {
        Console.line(try await Leaderboard.text(sweep: definition.name, pool: pool))
        switch ending {
        case .done:
            Console.line("sweep \(definition.name) is done.")
        case .failed(let count):
            Console.line(
                "sweep \(definition.name) finished with \(count) jobs failed for good; see `siuo sweep status \(definition.name)`, fix the cause, then `siuo sweep retry-failed \(definition.name)`."
            )
            throw SiuoExit.failure.code
        case .budgetReached(let spent):
            Console.line(
                String(format: "sweep \(definition.name) stopped: its budget is spent ($%.2f); raise budget_usd and run again to go on.", spent))
            throw SiuoExit.budgetSpent.code
        case .stopped(let state):
            Console.line("sweep \(definition.name) is \(state.rawValue); `siuo sweep resume \(definition.name)` and run again to go on.")
            throw SiuoExit.failure.code
        case .interrupted:
            Console.line("interrupted; run the same command again to resume where it stopped (finished answers are kept).")
            throw SiuoExit.interrupted.code
        case .statusUnreadable(let reason):
            Console.line("stopped: the sweep's status could not be read (\(reason)); run the same command again to resume where it stopped.")
            throw SiuoExit.failure.code
        }
    }
}
