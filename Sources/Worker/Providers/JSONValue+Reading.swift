import Foundation
import Shared

extension JSONValue {
    /// The elements of an array, or `nil` for any other kind.
    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// A whole number; JSON writers may send `12.0` for `12`.
    var intValue: Int? {
        switch self {
        case .int(let value): Int(exactly: value)
        case .double(let value): Int(exactly: value)
        default: nil
        }
    }

    /// Whether this is `null`; an absent member and a `null` mean the same to every provider.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Reads a reply body: `nil` when it is not JSON at all.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Request bodies go out with sorted keys so equal calls give equal bytes.
    var requestBody: [UInt8] { Array(canonicalData()) }
}

/// Pass-through parameters merged over the keys a codec built: the user's
/// settings win, except for the few keys that carry the call itself.
enum RequestParameters {
    /// `base` with every member of `params` laid over it, except `protected` keys.
    static func merge(
        _ params: [String: JSONValue], over base: [String: JSONValue],
        protecting protected: Set<String>
    ) -> [String: JSONValue] {
        var merged = base
        for (key, value) in params where !protected.contains(key) {
            merged[key] = value
        }
        return merged
    }
}
