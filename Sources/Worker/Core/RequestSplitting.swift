/// How a worker sizes what it reports to the coordinator in one request: a
/// bounded number of items and about `maxBytes` of text, well under the
/// coordinator's body limit; a request the coordinator refuses as invalid
/// is sent again as two halves, down to the one item at fault, which is
/// dropped. The outbox and the batch collector both follow it.
enum RequestSplitting {
    /// About the most text sent in one request, well under the coordinator's body limit (16 MiB).
    static let maxBytes = 4 << 20

    /// How many of `items`, from the start, go in the next request: at most
    /// `maxItems` and about `maxBytes` by `bytes`, and always at least one
    /// when there is any, however large.
    static func leadingCount<Items: Sequence>(of items: Items, maxItems: Int, bytes: (Items.Element) -> Int) -> Int {
        var count = 0
        var total = 0
        for item in items {
            total += bytes(item)
            if count > 0 && (count >= maxItems || total > maxBytes) { break }
            count += 1
        }
        return count
    }

    /// `items` split in two halves, in order, to find the one item at fault.
    static func halves<Item>(_ items: [Item]) -> (first: [Item], second: [Item]) {
        (Array(items[..<(items.count / 2)]), Array(items[(items.count / 2)...]))
    }
}
