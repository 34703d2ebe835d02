import Foundation
import Shared

/// Rules the list routes share.
enum BatchListing {
    /// Provider clocks drift from ours; a page is only called older with this much margin.
    static let clockMargin: TimeInterval = 300

    /// Whether every batch on a page (lists are newest first) was created
    /// before `date`, so later pages cannot hold a newer one.
    static func pageIsOlder(_ created: [Date], than date: Date) -> Bool {
        !created.isEmpty && created.allSatisfy { $0 < date.addingTimeInterval(-clockMargin) }
    }

    /// A listed batch's RFC 3339 creation time, where the search matches a
    /// batch by it (Anthropic's list carries no tag). One that cannot be read
    /// is a malformed reply (retried), never a guess: taken as long ago, it
    /// would miss an earlier submission, and the batch would be sent and paid
    /// for again.
    static func created(_ value: JSONValue?, of batch: JSONValue?) throws -> Date {
        guard let text = value?.stringValue, let date = HTTPDate.parseRFC3339(text) else {
            let name = batch?.stringValue.map { " of batch \(String($0.prefix(80)))" } ?? ""
            throw BatchFailure.malformed("the creation time\(name) is missing or unreadable")
        }
        return date
    }
}
