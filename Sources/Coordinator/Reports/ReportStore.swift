import Shared

/// Reports and exports of sweeps, read from the database (docs/protocol.md, "The report").
public struct ReportStore: Sendable {
    let pool: PostgresPool
    /// Bootstrap resamples per interval; the protocol's 2,000 (docs/protocol.md, "Scoring") unless a test lowers it.
    let resamples: Int

    /// A store on `pool`.
    public init(pool: PostgresPool, resamples: Int = Bootstrap.defaultResamples) {
        self.pool = pool
        self.resamples = resamples
    }

    /// The report of the current sweep `name`, partial while it runs; `SweepStoreError.notFound`
    /// for an unknown name.
    public func report(_ name: String) async throws -> SweepReport {
        try SweepReportBuilder.build(try await SweepRecordsLoader(pool: pool).load(name), resamples: resamples)
    }

    /// The sweep's results in SIUO's file format, per model; `SweepStoreError.notFound` for an
    /// unknown name.
    public func export(_ name: String) async throws -> SIUOExport {
        try SIUOExportBuilder.build(try await SweepRecordsLoader(pool: pool).load(name))
    }
}
