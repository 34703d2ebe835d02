import Foundation
import Shared

/// The part of the mock provider's `GET /stats` the benchmarks read.
struct MockStats: Decodable {
    struct Model: Decodable {
        var requests: Int
        var byStatus: [String: Int]
        var overLimit: Int
        var peakInFlight: Int

        enum CodingKeys: String, CodingKey {
            case requests, byStatus = "by_status", overLimit = "over_limit", peakInFlight = "peak_in_flight"
        }

        var tooManyRequests: Int { byStatus["429"] ?? 0 }
        /// Requests the provider served (anything but a 429 spent real work).
        var served: Int { requests - tooManyRequests }
    }

    var models: [String: Model]
    var totals: Model

    /// Fetches `/stats` from the mock at `base` (`http://127.0.0.1:PORT`).
    static func fetch(_ base: String) async throws -> MockStats {
        let response = try await CurlMultiClient.shared.send(HTTPClientRequest(url: base + "/stats", timeout: 10))
        guard response.status == 200 else { throw RunError("mock /stats answered \(response.status)") }
        return try JSONDecoder().decode(MockStats.self, from: Data(response.body))
    }
}
