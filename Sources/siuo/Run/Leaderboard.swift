import Coordinator
import Foundation
import Shared

/// The table `siuo run` prints at the end: the report's ranked table.
enum Leaderboard {
    static func text(sweep: String, pool: PostgresPool) async throws -> String {
        try ReportFormat.table.render(try await ReportStore(pool: pool).report(sweep))
    }
}
