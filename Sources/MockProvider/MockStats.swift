import Foundation
import Shared
import Synchronization

/// Counters per model, served at `GET /stats`.
final class MockStats: Sendable {
    private struct ModelCounters {
        var requests = 0
        var byStatus: [Int: Int] = [:]
        var overLimit = 0
        var overTokenLimit = 0
        var inFlight = 0
        var peakInFlight = 0
        var faults: [MockFault: Int] = [:]
    }

    private struct State {
        var models: [String: ModelCounters] = [:]
        var arrivals: UInt64 = 0
        var inFlight = 0
        var peakInFlight = 0
        var started = ContinuousClock.now
    }

    private let state = Mutex(State())

    /// Counts an arrival and returns its number in this process (from 0).
    func arrive(model: String) -> UInt64 {
        state.withLock { state in
            state.models[model, default: ModelCounters()].requests += 1
            var counters = state.models[model]!
            counters.inFlight += 1
            counters.peakInFlight = max(counters.peakInFlight, counters.inFlight)
            state.models[model] = counters
            state.inFlight += 1
            state.peakInFlight = max(state.peakInFlight, state.inFlight)
            defer { state.arrivals += 1 }
            return state.arrivals
        }
    }

    /// Records how an arrival ended; `status` is nil when no response was sent.
    func finish(model: String, status: Int?) {
        state.withLock { state in
            state.models[model]?.inFlight -= 1
            state.inFlight -= 1
            if let status { state.models[model]?.byStatus[status, default: 0] += 1 }
        }
    }

    func overLimit(model: String) {
        state.withLock { $0.models[model]?.overLimit += 1 }
    }

    /// An arrival the model's input-token bucket could not pay for.
    func overTokenLimit(model: String) {
        state.withLock { $0.models[model]?.overTokenLimit += 1 }
    }

    func fault(_ fault: MockFault, model: String) {
        state.withLock { $0.models[model]?.faults[fault, default: 0] += 1 }
    }

    /// Forgets all counts (the arrival counter keeps going, so fault draws never repeat).
    func reset() {
        state.withLock { state in
            // Requests still running keep their in-flight count, or finishing them would go negative.
            state.models = state.models.compactMapValues { counters in
                counters.inFlight > 0 ? ModelCounters(inFlight: counters.inFlight, peakInFlight: counters.inFlight) : nil
            }
            state.peakInFlight = state.inFlight
            state.started = .now
        }
    }

    /// The `/stats` document.
    func snapshot(seed: Int) -> JSONValue {
        state.withLock { state in
            var total = ModelCounters(inFlight: state.inFlight, peakInFlight: state.peakInFlight)
            var models: [String: JSONValue] = [:]
            for (name, counters) in state.models {
                models[name] = Self.json(counters)
                total.requests += counters.requests
                total.overLimit += counters.overLimit
                total.overTokenLimit += counters.overTokenLimit
                total.byStatus.merge(counters.byStatus, uniquingKeysWith: +)
                total.faults.merge(counters.faults, uniquingKeysWith: +)
            }
            return .object([
                "name": .string(MockProviderModule.name),
                "seed": .int(Int64(seed)),
                "uptime_s": .double((ContinuousClock.now - state.started).seconds),
                "models": .object(models),
                "totals": Self.json(total),
            ])
        }
    }

    private static func json(_ counters: ModelCounters) -> JSONValue {
        .object([
            "requests": .int(Int64(counters.requests)),
            "by_status": .object(Dictionary(uniqueKeysWithValues: counters.byStatus.map { ("\($0.key)", .int(Int64($0.value))) })),
            "over_limit": .int(Int64(counters.overLimit)),
            "over_token_limit": .int(Int64(counters.overTokenLimit)),
            "in_flight": .int(Int64(counters.inFlight)),
            "peak_in_flight": .int(Int64(counters.peakInFlight)),
            "faults": .object(Dictionary(uniqueKeysWithValues: counters.faults.map { ($0.key.rawValue, .int(Int64($0.value))) })),
        ])
    }
}
