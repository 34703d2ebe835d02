import Foundation
import Shared

/// Gemini's `google.rpc.RetryInfo` detail in an error body:
/// `{"error": {"details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "27s"}]}}`.
enum GeminiRetryInfo {
    /// Seconds to wait, or `nil` when the body carries no readable RetryInfo.
    static func delay(body: JSONValue) -> TimeInterval? {
        for detail in body["error"]?["details"]?.arrayValue ?? [] {
            guard detail["@type"]?.stringValue?.hasSuffix("google.rpc.RetryInfo") == true,
                let text = detail["retryDelay"]?.stringValue
            else { continue }
            // A protobuf Duration in JSON is decimal seconds with an `s`,
            // which Go's duration syntax also reads.
            return GoDuration.seconds(text)
        }
        return nil
    }
}
