import Shared
import SiuoTestSupport
import Testing

@testable import Worker

/// The outbox against a coordinator in memory: what it sends, keeps and drops.
@Suite struct OutboxTests {
    typealias F = CoreFixtures

    /// Leases `count` jobs from `fake`, holds each in `book` (60 s TTL) and returns the leases.
    private func leased(_ fake: FakeCoordinator, _ book: LeaseBook, count: Int) async throws -> [JobLease] {
        let leases = try await fake.lease(LeaseRequest(workerID: "w", endpoints: [FakeCoordinator.endpoint], maxJobs: count))
        for lease in leases { await book.hold(lease, ttl: .seconds(60)) }
        return leases
    }

    @Test func aReportRefusedAsInvalidIsDroppedAndLoggedWhateverTheRoute() async throws {
        let fake = FakeCoordinator(jobs: [1, 2, 3, 4, 5])
        fake.change { $0.invalidFailures = [3] }
        let book = LeaseBook()
        let log = RecordedLog()
        let outbox = Outbox(coordinator: fake, book: book, logger: log.logger)
        let leases = try await leased(fake, book, count: 5)
        await outbox.add(.result(JobResult(lease: leases[0].reference)))
        await outbox.add(.failure(JobFailure(lease: leases[1].reference, retryable: true, error: "503")))
        await outbox.add(.failure(JobFailure(lease: leases[2].reference, retryable: true, error: "bad usage")))
        await outbox.add(.failure(JobFailure(lease: leases[3].reference, retryable: true, error: "503")))
        await outbox.add(.release(leases[4].reference))

        #expect(await outbox.flushOnce(), "a refusal as invalid is an answer, not an outage")
        #expect(await outbox.count == 0)
        #expect(fake.read(\.done).keys.sorted() == [1])
        #expect(fake.read(\.failed).sorted() == [2, 4])
        #expect(fake.read(\.released) == [5])
        #expect(fake.read { $0.leased.keys.sorted() } == [3], "the dropped ending's lease lapses at the coordinator")
        #expect(await book.held == 0, "every ending settled its lease in the book, the dropped one included")
        let errors = log.all.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["job"] == "3")
        #expect(errors.first?.metadata["error"]?.contains("HTTP 400") == true)
    }

    @Test func aCoordinatorErrorKeepsEveryEndingForTheNextFlush() async throws {
        let fake = FakeCoordinator(jobs: [1, 2])
        fake.change { $0.reportStatus = 500 }
        let book = LeaseBook()
        let outbox = Outbox(coordinator: fake, book: book, logger: RecordedLog().logger)
        let leases = try await leased(fake, book, count: 2)
        for lease in leases { await outbox.add(.result(JobResult(lease: lease.reference))) }
        #expect(await outbox.flushOnce() == false)
        #expect(await outbox.count == 2)
        #expect(await book.held == 2)
        fake.change { $0.reportStatus = nil }
        #expect(await outbox.flushOnce())
        #expect(await outbox.count == 0)
        #expect(fake.read(\.done).keys.sorted() == [1, 2])
    }

    @Test func aStaleAnswerSettlesWithoutWriting() async throws {
        let fake = FakeCoordinator(jobs: [7])
        let book = LeaseBook()
        let outbox = Outbox(coordinator: fake, book: book, logger: RecordedLog().logger)
        let lease = try await leased(fake, book, count: 1)[0]
        fake.change { $0.leased[7] = LeaseReference(jobID: 7, leaseToken: .init()) }
        await outbox.add(.result(JobResult(lease: lease.reference)))
        #expect(await outbox.flushOnce())
        #expect(await outbox.count == 0)
        #expect(await book.held == 0)
        #expect(fake.read(\.done).isEmpty)
    }
}
