import Coordinator
import Foundation
import Shared

/// Watches a benchmark sweep once a second: progress, each bucket's rate,
/// and the CPU and memory of the coordinator and worker processes.
struct SweepWatch {
    let pool: PostgresPool
    let coordinator: BenchChild
    private var startedAt = Date()
    private var coordinatorCPUAtStart = 0.0

    /// What a run measured.
    struct Outcome {
        var finished: Bool
        var wallSeconds: Double
        var doneByKind: [(kind: String, jobs: Int)]
        var failed: Int
        var coordinator: ProcessUsage
        var workers: [ProcessUsage]
        /// `current_rpm` per model, sampled once a second (seconds since start).
        var rates: [(seconds: Double, rpm: [String: Double])]
    }

    init(pool: PostgresPool, coordinator: BenchChild) {
        self.pool = pool
        self.coordinator = coordinator
    }

    /// Marks the start (the database's clock) just before the workers start;
    /// the coordinator's CPU for setup and submission is left out.
    mutating func begin() async throws {
        startedAt = try await pool.query(BenchSQL.now)[0].decode(Date.self, "now")
        coordinatorCPUAtStart = coordinator.usage?.cpuSeconds ?? 0
    }

    func run(workers: [BenchChild], timeout: Duration, showRates: Bool) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var rates: [(seconds: Double, rpm: [String: Double])] = []
        var coordinatorUsage = ProcessUsage(cpuSeconds: 0, peakResidentBytes: 0)
        var workerUsage = workers.map { _ in ProcessUsage(cpuSeconds: 0, peakResidentBytes: 0) }
        var finished = false
        var failed = 0
        var tick = 0
        while clock.now - start < timeout {
            try await Task.sleep(until: start + .seconds(tick + 1))
            tick += 1
            let row = try await pool.query(BenchSQL.progress)[0]
            let open = try row.decode(Int.self, "open")
            let done = try row.decode(Int.self, "done")
            let total = try row.decode(Int.self, "total")
            failed = try row.decode(Int.self, "failed")
            let sample = Dictionary(
                try await pool.query(BenchSQL.currentRates).map {
                    (try $0.decode(String.self, "model"), try $0.decode(Double.self, "current_rpm"))
                }, uniquingKeysWith: { $1 })
            rates.append((Double(tick), sample))
            // Read while they run: /proc forgets a process once it is reaped.
            coordinatorUsage = coordinator.usage ?? coordinatorUsage
            for (index, worker) in workers.enumerated() { workerUsage[index] = worker.usage ?? workerUsage[index] }
            if tick % 10 == 0 {
                let rateText =
                    showRates ? "  rpm " + sample.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value))" }.joined(separator: ", ") : ""
                Console.line("  \(tick) s: \(done)/\(total) jobs done\(failed > 0 ? ", \(failed) failed" : "")\(rateText)")
            }
            if total > 0, open == 0 {
                finished = true
                break
            }
        }
        var wall = (clock.now - start).seconds
        if finished, let last = try await pool.query(BenchSQL.lastFinished)[0].decode(Date?.self, "last") {
            // The database's clock, not the once-a-second poll, says when the last job finished.
            wall = last.timeIntervalSince(startedAt)
        }
        coordinatorUsage.cpuSeconds -= coordinatorCPUAtStart
        let kinds = try await pool.query(BenchSQL.jobsByKind).map { (try $0.decode(String.self, "kind"), try $0.decode(Int.self, "n")) }
        return Outcome(
            finished: finished, wallSeconds: wall, doneByKind: kinds, failed: failed, coordinator: coordinatorUsage,
            workers: workerUsage, rates: rates)
    }
}
