import Coordinator
import Foundation
import Shared

extension SweepCommand.Status {
    /// Redraws one sweep's live view every second until it finishes.
    func follow(_ name: String) async throws {
        let read: () async throws -> SweepStatus
        if coordinator.coordinatorURL != nil {
            let client = try coordinator.adminClient(for: "sweep status")
            read = { try await client.status(name) }
        } else {
            let store = SweepStore(pool: try await database.open())
            read = { try await store.status(name) }
        }
        let printer = ProgressPrinter()
        while true {
            let status = try await read()
            printer.show(status)
            if status.state.isSettled {
                printer.show(status, force: true)
                return
            }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
