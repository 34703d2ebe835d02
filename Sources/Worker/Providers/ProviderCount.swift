import Foundation
import Shared

/// A count a provider states (tokens a reply used, requests in a batch) is
/// hostile input like the rest of its reply: it is clamped to `0...limit`
/// where it is read, and counts are summed without overflow. A negative count
/// would crash the metrics and be refused by the coordinator; one near
/// `Int.max` would trap in a sum.
enum ProviderCount {
    /// The most any count may be: far above any real request, and within the
    /// coordinator's integer columns.
    static let limit = Int(Int32.max)

    /// `count` forced into `0...limit`.
    static func clamped(_ count: Int) -> Int {
        min(max(count, 0), limit)
    }

    /// `value` as a count: a number, or a numeric string (proto3 JSON sends
    /// int64 as `"12"`), clamped; absent, fractional or unreadable is 0.
    static func read(_ value: JSONValue?) -> Int {
        switch value {
        case .int(let number)?:
            return Int(clamping: min(max(number, 0), Int64(limit)))
        case .double(let number)?:
            guard number.isFinite, number.rounded() == number else { return 0 }
            return Int(min(max(number, 0), Double(limit)))
        case .string(let text)?:
            guard let number = Int64(text) else { return 0 }
            return read(.int(number))
        default:
            return 0
        }
    }

    /// The members `keys` of `object`, each read as a count, summed.
    static func read(_ keys: [String], of object: JSONValue?) -> Int {
        sum(keys.map { read(object?[$0]) })
    }

    /// The sum of `counts`, each clamped, capped at `limit`.
    static func sum(_ counts: [Int]) -> Int {
        counts.reduce(0) { total, count in min(total + clamped(count), limit) }
    }
}
