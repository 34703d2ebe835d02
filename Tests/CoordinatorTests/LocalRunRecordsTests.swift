import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A killed `siuo run`'s leases are taken back by the next run, at once and
/// without counting an attempt; a live run's, and another database's, are not.
@Suite struct LocalRunRecordsTests {
    /// A process that has ended (and been reaped): its identity is a dead one.
    private func deadProcess() throws -> ProcessIdentity {
        let ended = try PosixSpawn.run("/bin/sh", ["-c", "exit 0"])
        return ProcessIdentity(pid: ended.pid, startTicks: nil, bootID: nil)
    }

    @Test func aProcessIsRecognisedOnlyWhileItRuns() throws {
        let me = ProcessIdentity.current
        #expect(me.isRunning)
        #expect(try !deadProcess().isRunning)
        if me.startTicks != nil {
            // The same pid with another start time is another process (a reused pid).
            var reused = me
            reused.startTicks = me.startTicks! + 1
            #expect(!reused.isRunning)
            var otherBoot = me
            otherBoot.bootID = "another-boot"
            #expect(!otherBoot.isRunning)
        }
    }

    @Test func aDeadRunsLeasesComeBackAtOnceWithoutAnAttempt() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "run_takeback")
        let pool = PostgresPool(url: url, size: 2)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 3)
        // A long TTL: only taking back can free these leases within the test.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], leaseTTLSeconds: 300)
        try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let endpoints = SweepFixture.endpoints(definition)
        let dead = try await jobs.claim(LeaseRequest(workerID: "run-dead-0", endpoints: endpoints, maxJobs: 2))
        let live = try await jobs.claim(LeaseRequest(workerID: "run-live-0", endpoints: endpoints, maxJobs: 1))
        #expect(dead.count == 2 && live.count == 1)

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let records = LocalRunRecords(folder: folder.path + "/runs")
        try records.write(LocalRunRecord(process: try deadProcess(), databaseURL: url, workerIDs: ["run-dead-0", "run-dead-1"]))
        try records.write(LocalRunRecord(process: .current, databaseURL: url, workerIDs: ["run-live-0"]))
        // A dead run on another database: not ours to touch, and its record stays for that database.
        try records.write(LocalRunRecord(process: try deadProcess(), databaseURL: url + "-elsewhere", workerIDs: ["run-live-0"]))

        let taken = try await records.takeBackAbandoned(databaseURL: url, store: jobs)
        #expect(taken.map(\.leases) == [2])
        let rows = try await pool.query("SELECT id, state, attempts, leased_by FROM jobs ORDER BY id")
        for row in rows {
            let id = try row.decode(Int64.self, "id")
            #expect(try row.decode(Int.self, "attempts") == 0, "job \(id): giving back counts no attempt")
            if dead.contains(where: { $0.jobID == id }) {
                #expect(try row.decode(String.self, "state") == "queued" && row.decode(String?.self, "leased_by") == nil)
            } else if live.contains(where: { $0.jobID == id }) {
                #expect(try row.decode(String.self, "state") == "leased" && row.decode(String?.self, "leased_by") == "run-live-0")
            }
        }
        // The dead run's record is gone, the others stay; a second look finds nothing more.
        #expect(try FileManager.default.contentsOfDirectory(atPath: records.folder).count == 2)
        #expect(try await records.takeBackAbandoned(databaseURL: url, store: jobs).isEmpty)
        // What came back can be leased again by the new run's workers.
        let again = try await jobs.claim(LeaseRequest(workerID: "run-new-0", endpoints: endpoints, maxJobs: 10))
        #expect(Set(again.map(\.jobID)) == Set(dead.map(\.jobID)))
        #expect(again.allSatisfy { $0.attempt == 1 })
    }
}
