import Foundation
import Shared

/// The folder of `LocalRunRecord`s (one JSON file per running `siuo run`),
/// and taking back the leases of runs that died.
public struct LocalRunRecords: Sendable {
    /// The folder, created when the first record is written.
    public let folder: String

    /// Records kept in `folder`.
    public init(folder: String) {
        self.folder = folder
    }

    /// What taking back found for one dead run.
    public struct TakeBack: Sendable, Equatable {
        /// The dead run's process id.
        public var pid: Int32
        /// Leases given back.
        public var leases: Int
    }

    /// Writes `record` (replacing one of the same process) and returns its path.
    @discardableResult
    public func write(_ record: LocalRunRecord) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let path = self.path(of: record)
        try encoder.encode(record).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// Removes `record`'s file (a run that ends normally: its workers gave their leases back).
    public func remove(_ record: LocalRunRecord) {
        try? FileManager.default.removeItem(atPath: path(of: record))
    }

    /// For every recorded run on `databaseURL` whose process is gone: its
    /// workers' leases back to the queue at once (no attempt counted), then
    /// its record removed. Runs that still live, and records of other
    /// databases, are left alone. An unreadable file is removed.
    public func takeBackAbandoned(databaseURL: String, store: JobStore) async throws -> [TakeBack] {
        let database = LocalRunRecord.databaseKey(databaseURL)
        var taken: [TakeBack] = []
        for (path, record) in records() {
            guard let record else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard record.database == database, !record.process.isRunning else { continue }
            let leases = try await store.releaseLeases(heldBy: record.workerIDs)
            try? FileManager.default.removeItem(atPath: path)
            taken.append(TakeBack(pid: record.process.pid, leases: leases))
        }
        return taken
    }

    /// Every record file, decoded (`nil` when it cannot be read).
    private func records() -> [(String, LocalRunRecord?)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let path = folder + "/" + name
            let record = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(LocalRunRecord.self, from: $0) }
            return (path, record)
        }
    }

    private func path(of record: LocalRunRecord) -> String {
        "\(folder)/run-\(record.process.pid)-\(record.process.startTicks ?? 0).json"
    }
}
