import Foundation
import Shared

/// Builds endpoint URLs from a sweep's `base_url`, the way each official SDK does.
enum ProviderURL {
    /// `base` with `path` appended to its path, keeping any query (Azure's
    /// `?api-version=`) after the new path, and without doubled slashes.
    static func appending(_ path: String, to base: String) throws(ProviderFailure) -> String {
        let trimmed = base.trimmingCharacters(in: .whitespaces)
        let (location, query) = split(trimmed)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw ProviderFailure(retryable: false, message: "base_url is not an http(s) URL")
        }
        var joined = location
        while joined.hasSuffix("/") { joined.removeLast() }
        joined += path.hasPrefix("/") ? path : "/" + path
        return query.map { joined + "?" + $0 } ?? joined
    }

    /// The part before the first `?`, and the query after it.
    private static func split(_ url: String) -> (String, String?) {
        guard let mark = url.firstIndex(of: "?") else { return (url, nil) }
        let query = String(url[url.index(after: mark)...])
        return (String(url[..<mark]), query.isEmpty ? nil : query)
    }
}
