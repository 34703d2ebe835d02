import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Several clients and coordinators on one database, over real HTTP. The
/// tests share nothing (each has its own database) and run side by side.
@Suite struct ClusterTests {
    @Test func eightHTTPClientsLease10000JobsWithoutSharingAny() async throws {
        let pool = try await TestDatabase.pool(suite: "cluster_clients", size: 8)
        try await SweepFixture.importDataset(pool, cases: 1250)
        let definition = SweepFixture.definition(models: 4, tasks: [.generation, .mcqa], samples: 1)
        try await TestCoordinator.with(pool: pool) { base in
            #expect(try await TestCoordinator.admin(base).submit(definition, replace: false).jobs == 10_000)
            let holders = HeldJobs()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let worker = TestCoordinator.worker(base)
                        let request = LeaseRequest(workerID: "w\(index)", endpoints: SweepFixture.endpoints(definition), maxJobs: 100)
                        while true {
                            let leases = try await worker.lease(request)
                            if leases.isEmpty { return }
                            try await holders.take(leases.map(\.jobID))
                            let answers = try await worker.complete(leases.map { SweepFixture.result(for: $0, outcome: .refusal) })
                            await holders.give(leases.map(\.jobID))
                            guard answers.allSatisfy({ $0.status == .accepted }) else { throw HeldJobs.Conflict(jobs: []) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(await holders.everHeld == 10_000)
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM responses")[0].decode(Int.self, "n") == 10_000)
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state <> 'done'")[0].decode(Int.self, "n") == 0)
    }

    @Test func twoCoordinatorProcessesShareOneRateBudget() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let url = try await TestDatabase.freshDatabase(suite: "cluster_budget")
        let pool = PostgresPool(url: url, size: 2)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 400)
        // rpm 600 with the default burst of 10: at most 100 + 10 tokens in any 10 s.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 600, burst: nil)
        let coordinators = [try CoordinatorProcess(databaseURL: url), try CoordinatorProcess(databaseURL: url)]
        defer { coordinators.forEach { $0.stop() } }
        _ = try await TestCoordinator.admin(coordinators[0].baseURL).submit(definition, replace: false)

        let grants = GrantLog()
        // The budget is checked on the database's clock, the one the buckets refill by: a loaded machine
        // can deliver answers late, which shifts the clients' timing but not what the buckets allowed.
        let databaseStart = try await pool.databaseNow()
        let started = ContinuousClock.now
        let endpoint = definition.models[0].endpointKey
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                let worker = TestCoordinator.worker(coordinators[index % 2].baseURL)
                group.addTask {
                    let request = LeaseRequest(workerID: "w\(index)", endpoints: [endpoint], maxJobs: 5, waitMilliseconds: 200)
                    // Until the budget has given 60 tokens (six seconds of it), however slowly a loaded machine lets the clients ask.
                    while await grants.total < 60, ContinuousClock.now - started < .seconds(300) {
                        let leases = try await worker.lease(request)
                        await grants.add((ContinuousClock.now - started).seconds, leases.count)
                        let permits = try await worker.permits([PermitRequest(endpoint: endpoint, count: 2)])[0].granted
                        await grants.add((ContinuousClock.now - started).seconds, permits)
                        _ = try await worker.complete(leases.map { SweepFixture.result(for: $0, outcome: .refusal) })
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = try await pool.databaseNow().timeIntervalSince(databaseStart)
        let total = await grants.total
        print("two coordinators, rpm 600: \(total) tokens granted in \(seconds) s of the database's clock")
        // One shared bucket allows its burst of 10 and 10 a second; two budgets would allow twice that.
        #expect(Double(total) <= 10 + 10 * seconds + 1, "\(total) tokens in \(seconds) s")
        // The budget is used, not starved.
        #expect(total >= 60, "the two coordinators together should use the budget: \(total)")
    }

}

/// Tokens granted, by seconds since the start.
actor GrantLog {
    private(set) var entries: [(Double, Int)] = []

    func add(_ at: Double, _ count: Int) {
        entries.append((at, count))
    }

    /// Tokens granted so far.
    var total: Int { entries.reduce(0) { $0 + $1.1 } }
}
