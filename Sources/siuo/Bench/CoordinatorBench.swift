import ArgumentParser
import Coordinator
import Foundation
import Shared

/// Leased+completed jobs per second through the HTTP API (batches of 1 and
/// of 100), through the coordinator's job store called directly (its SQL
/// without HTTP and JSON), and in a raw SQL claim/complete loop, on the same
/// database: the store splits the API's distance from the raw loop into what
/// its statements cost and what the HTTP layer does.
struct CoordinatorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Jobs per second through the coordinator API vs. a raw SQL loop (uses a scratch database).",
        discussion: SiuoExit.discussion())

    @Option(help: "Jobs per run.") var jobs = 20_000
    @Option(help: "Concurrent clients.") var clients = 8
    @Option(help: "Jobs per run with batches of 1 (slower; fewer keep it short).") var singleJobs = 2_000
    @Option(
        name: .customLong("compare-jobs"),
        help: ArgumentHelp("Also run batches of 100 with this many jobs and print the rate against --jobs (e.g. 200000).", valueName: "n"))
    var compareJobs: Int?
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Embedded cluster folder (default ./.siuo/postgres).", valueName: "dir"))
    var dataDirectory: String?

    func run() async throws {
        let cluster = EmbeddedPostgres(directory: dataDirectory ?? EmbeddedPostgres.defaultDirectory())
        try await cluster.start()
        try await cluster.dropDatabase("siuo_bench")
        try await cluster.ensureDatabase("siuo_bench")
        let pool = PostgresPool(url: cluster.url(database: "siuo_bench"), size: clients + 2)
        try await Migrator(pool: pool).migrate()
        let definition = try await BenchFixture.prepare(pool: pool, jobs: max(jobs, compareJobs ?? 0))
        let endpoints = definition.models.map(\.endpointKey)
        print("siuo bench coordinator: \(jobs) mcqa jobs, \(clients) clients, 2 cores, debug/release as built")

        let api = CoordinatorAPI(pool: pool, tokens: try APITokens(worker: "bench", admin: "bench-admin"), latestMigration: 1)
        try await LoopbackServer.with(api) { base in
            var rows: [(String, Int, Double)] = []
            for batch in [1, 100] {
                let count = batch == 1 ? min(singleJobs, jobs) : jobs
                rows.append(
                    (
                        "HTTP API, batch \(batch)", count,
                        try await Self.apiRate(pool: pool, base: base, endpoints: endpoints, batch: batch, jobs: count, clients: clients)
                    ))
            }
            rows.append(("job store, batch 100", jobs, try await Self.storeRate(pool: pool, endpoints: endpoints, jobs: jobs, clients: clients)))
            let raw = try await Self.rawRate(pool: pool, jobs: jobs, clients: clients)
            rows.append(("raw SQL, batch 100", jobs, raw))
            for (label, count, rate) in rows {
                let ratio = String(format: "%.2f", rate / raw)
                print(
                    "\(label.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(count).leftPadded(6)) jobs  \(String(format: "%8.0f", rate)) jobs/s  ratio to raw SQL \(ratio)"
                )
            }
            // The same statements called directly: what the HTTP layer and JSON cost, apart from what the statements do.
            print("HTTP and JSON: the API, batch 100, runs at \(String(format: "%.2f", rows[1].2 / rows[2].2)) of the job store's rate")
            guard let compareJobs else { return }
            // The same batched runs with a larger queue: a job must not cost more in a longer queue.
            let apiLarge = try await Self.apiRate(pool: pool, base: base, endpoints: endpoints, batch: 100, jobs: compareJobs, clients: clients)
            let rawLarge = try await Self.rawRate(pool: pool, jobs: compareJobs, clients: clients)
            let baseline = rows[1].2
            print(
                "HTTP API, batch 100     \(String(compareJobs).leftPadded(6)) jobs  \(String(format: "%8.0f", apiLarge)) jobs/s  ratio to raw SQL \(String(format: "%.2f", apiLarge / rawLarge))"
            )
            print("raw SQL, batch 100      \(String(compareJobs).leftPadded(6)) jobs  \(String(format: "%8.0f", rawLarge)) jobs/s")
            print(
                "scaling: with \(compareJobs) jobs the API runs at \(String(format: "%.2f", apiLarge / baseline)) of its rate with \(jobs), the raw SQL loop at \(String(format: "%.2f", rawLarge / raw))"
            )
        }
    }

    /// Jobs per second through the API with `jobs` queued, in batches of `batch`.
    static func apiRate(pool: PostgresPool, base: String, endpoints: [EndpointKey], batch: Int, jobs: Int, clients: Int) async throws -> Double {
        try await BenchFixture.reset(pool: pool, keep: jobs)
        let seconds = try await timed(jobs: jobs, "API, batch \(batch)") {
            try await httpLoop(base: base, endpoints: endpoints, batch: batch, clients: clients)
        }
        return Double(jobs) / seconds
    }

    /// Jobs per second through `JobStore` called directly (the API's statements, no HTTP or JSON), in
    /// batches of 100 with `jobs` queued.
    static func storeRate(pool: PostgresPool, endpoints: [EndpointKey], jobs: Int, clients: Int) async throws -> Double {
        try await BenchFixture.reset(pool: pool, keep: jobs)
        let store = JobStore(pool: pool)
        let seconds = try await timed(jobs: jobs, "job store, batch 100") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<clients {
                    group.addTask {
                        let request = LeaseRequest(workerID: "bench-\(index)", endpoints: endpoints, maxJobs: 100)
                        while true {
                            let leases = try await store.claim(request)
                            if leases.isEmpty { return }
                            _ = try await store.complete(leases.map(BenchFixture.result))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return Double(jobs) / seconds
    }

    /// Jobs per second of the raw SQL loop with `jobs` queued.
    static func rawRate(pool: PostgresPool, jobs: Int, clients: Int) async throws -> Double {
        try await BenchFixture.reset(pool: pool, keep: jobs)
        let seconds = try await timed(jobs: jobs, "raw SQL") { try await RawSQLLoop(pool: pool, clients: clients, batch: 100).run() }
        return Double(jobs) / seconds
    }

    /// Runs `body` and answers its wall time; prints the CPU it cost per 100
    /// jobs, the machine's (bench and PostgreSQL together, not what other
    /// tenants of a shared machine took) and this process's, figures that
    /// move far less between runs than jobs per second.
    static func timed(jobs: Int, _ label: String, _ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let machine = MachineCPU.busySeconds
        let process = ProcessUsage.current?.cpuSeconds
        let start = clock.now
        try await body()
        let seconds = (clock.now - start).seconds
        if let machine, let machineAfter = MachineCPU.busySeconds, let process, let processAfter = ProcessUsage.current?.cpuSeconds {
            let per100 = { (cpu: Double) in String(format: "%.1f ms", cpu * 1000 * 100 / Double(max(1, jobs))) }
            print(
                "  \(label): CPU per 100 jobs \(per100(machineAfter - machine)) on the machine, "
                    + "\(per100(processAfter - process)) of it in this process (coordinator and clients)")
        }
        return seconds
    }

    /// Runs the clients; prints the mean time of a lease call and a results call.
    static func httpLoop(base: String, endpoints: [EndpointKey], batch: Int, clients: Int) async throws {
        let clock = ContinuousClock()
        let totals = try await withThrowingTaskGroup(of: (Duration, Duration, Int).self) { group in
            for index in 0..<clients {
                group.addTask {
                    let client = CoordinatorClient(baseURL: base, token: "bench")
                    let request = LeaseRequest(workerID: "bench-\(index)", endpoints: endpoints, maxJobs: batch)
                    var leasing = Duration.zero
                    var completing = Duration.zero
                    var calls = 0
                    while true {
                        let start = clock.now
                        let leases = try await client.lease(request)
                        let leased = clock.now
                        if leases.isEmpty { return (leasing, completing, calls) }
                        _ = try await client.complete(leases.map(BenchFixture.result))
                        leasing += leased - start
                        completing += clock.now - leased
                        calls += 1
                    }
                }
            }
            return try await group.reduce((Duration.zero, Duration.zero, 0)) { ($0.0 + $1.0, $0.1 + $1.1, $0.2 + $1.2) }
        }
        let calls = max(1, totals.2)
        print("  batch \(batch): mean lease call \(totals.0 / calls), mean results call \(totals.1 / calls) (\(calls) rounds)")
    }
}
