import Foundation
import Shared

/// The headers every provider request carries (docs/protocol.md, "X-Siuo-Sample").
enum CommonHeaders {
    /// `X-Siuo-Sample`, `User-Agent` and `Content-Type` for `call`, plus the provider's own.
    static func `for`(_ call: ModelCall, adding extra: [String: String]) -> [String: String] {
        var headers = plain(adding: extra)
        headers["X-Siuo-Sample"] = String(call.firstSample)
        return headers
    }

    /// `User-Agent` and `Content-Type`, plus the provider's own: for requests
    /// that stand for no single call (the batch routes).
    static func plain(adding extra: [String: String]) -> [String: String] {
        var headers = [
            "User-Agent": WorkerModule.userAgent,
            "Content-Type": "application/json",
        ]
        headers.merge(extra) { _, provider in provider }
        return headers
    }
}
