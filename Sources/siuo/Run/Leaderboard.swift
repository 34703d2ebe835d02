import Coordinator
import Foundation
import Shared

/// The table `siuo run` prints at the end.
enum Leaderboard {
    static func text(sweep: String, pool: PostgresPool) async throws -> String {
        let status = try await SweepStore(pool: pool).status(sweep)
        return ProgressView.lines(status, perMinute: [:]).joined(separator: "\n")
    }
}
