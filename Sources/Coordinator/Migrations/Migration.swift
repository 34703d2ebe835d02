import Foundation
import Shared

/// One numbered schema change, read from `NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number that orders it.
    public var version: Int
    /// The file name without number and extension.
    public var name: String
    /// The statements, run as one script.
    public var sql: String
    /// SHA-256 of the statements (`sql` without its comment lines): an applied
    /// migration's statements must never change; its comments may be corrected.
    public var checksum: String
    /// Checksums that earlier builds recorded for this migration (of the whole
    /// file text, before comments stopped counting); accepted, and replaced by `checksum`.
    public var earlierChecksums: Set<String>

    /// Creates a migration from its file's parts.
    public init(version: Int, name: String, sql: String, earlierChecksums: Set<String> = []) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256Hex.digest(Self.statements(of: sql))
        self.earlierChecksums = earlierChecksums
    }

    /// `sql` without lines that hold only a `--` comment, and without trailing white space.
    static func statements(of sql: String) -> String {
        sql.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop(while: \.isWhitespace).reversed()) }
            .filter { line in !line.drop(while: \.isWhitespace).hasPrefix("--") }
            .joined(separator: "\n")
    }

    /// What builds before comment-free checksums recorded for the bundled migrations.
    static let checksumsOfWholeFiles: [Int: Set<String>] = [
        1: ["66362f4fa06f5bc4cfecf63a40aa0794afc81759b79b749a2a96c86e604baf35"],
        2: ["d25f45225b682fb8e16c8b2a9d7b984f431bae46ab6862c7d1305eea6ddcb209"],
    ]

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        guard let folder = sqlFolder() else { throw MigrationError.missingResources }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        return try files.map { file in
            let stem = file.dropLast(4)
            guard let separator = stem.firstIndex(of: "_"), let version = Int(stem[..<separator]) else {
                throw MigrationError.badFileName(file)
            }
            let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            return Migration(
                version: version, name: String(stem[stem.index(after: separator)...]), sql: sql,
                earlierChecksums: checksumsOfWholeFiles[version] ?? [])
        }.sorted { $0.version < $1.version }
    }
}

extension Migration {
    /// SwiftPM's resource folder for this module, as the build and the deploy image lay it out.
    static let resourceFolderName = "siuo-sweep_Coordinator.resources"

    /// The migration files beside the running executable (the `siuo` binary, or
    /// the test bundle in the same build folder). Looked up by hand: SwiftPM's
    /// generated `Bundle.module` stops the process when the folder is missing,
    /// where a clear error should be.
    static func sqlFolder() -> URL? {
        #if os(Linux)
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let besideExecutable = URL(fileURLWithPath: executable).deletingLastPathComponent()
                .appendingPathComponent(resourceFolderName).appendingPathComponent("sql")
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: besideExecutable.path, isDirectory: &isFolder) && isFolder.boolValue
                ? besideExecutable : nil
        #else
            return Bundle.module.url(forResource: "sql", withExtension: nil)
        #endif
    }
}

/// Why the schema could not be brought up to date.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    /// The build's migration files are not where the bundle should have them.
    case missingResources
    /// A migration file is not named `NNNN_name.sql`.
    case badFileName(String)
    /// An applied migration's text differs from the shipped one.
    case checksumMismatch(version: Int, name: String)
    /// The database was migrated by a newer build.
    case databaseIsNewer(databaseVersion: Int, knownVersion: Int)

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .missingResources:
            "the migration files are missing from this build (the folder \(Migration.resourceFolderName) must sit next to the siuo binary)"
        case .badFileName(let file):
            "migration file \(file) is not named NNNN_name.sql"
        case .checksumMismatch(let version, let name):
            "migration \(version) (\(name)) was changed after it was applied; restore the original file"
        case .databaseIsNewer(let databaseVersion, let knownVersion):
            "the database schema is at version \(databaseVersion), newer than this siuo knows (\(knownVersion)); upgrade siuo"
        }
    }
}
