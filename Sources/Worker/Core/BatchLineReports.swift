import Shared

/// How an ended batch's results become the line reports the coordinator
/// takes, free of I/O: provider output is hostile input, so a line the
/// coordinator would refuse never goes out, and reports are cut by size as
/// well as by line count (`RequestSplitting`).
enum BatchLineReports {
    /// The most lines in one report (a report is one transaction).
    static let maxLines = 500

    /// The reports for `results`, in order, and the `custom_id`s of the lines
    /// dropped because they are not ours (no job could take them). A reply
    /// whose status is no HTTP status becomes an unanswered line (its job
    /// runs live); NUL, which the database refuses, is taken out of bodies.
    static func lines(for results: [BatchLineResult]) -> (lines: [BatchLineReport], dropped: [String]) {
        var lines: [BatchLineReport] = []
        var dropped: [String] = []
        for result in results {
            guard BatchReply.parse(customID: result.customID) != nil else {
                dropped.append(result.customID)
                continue
            }
            switch result.outcome {
            case .reply(let status, _) where !(100...599).contains(status):
                lines.append(BatchLineReport(customID: result.customID, status: nil, body: nil, unanswered: "the provider gave status \(status)"))
            case .reply(let status, let body):
                let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "")
                lines.append(BatchLineReport(customID: result.customID, status: status, body: text))
            case .unanswered(let reason):
                lines.append(BatchLineReport(customID: result.customID, status: nil, body: nil, unanswered: reason))
            }
        }
        return (lines, dropped)
    }

    /// `lines` cut into reports of at most `maxLines` lines and about
    /// `RequestSplitting.maxBytes`; one empty report when there are no lines
    /// (the last report closes the batch, so there is always one).
    static func chunks(_ lines: [BatchLineReport], maxLines: Int = maxLines) -> [[BatchLineReport]] {
        var chunks: [[BatchLineReport]] = []
        var rest = lines[...]
        repeat {
            let count = RequestSplitting.leadingCount(of: rest, maxItems: maxLines, bytes: approximateBytes)
            chunks.append(Array(rest.prefix(count)))
            rest = rest.dropFirst(count)
        } while !rest.isEmpty
        return chunks
    }

    /// About how many bytes `line` takes on the wire.
    static func approximateBytes(_ line: BatchLineReport) -> Int {
        128 + line.customID.utf8.count + (line.body?.utf8.count ?? 0) + (line.unanswered?.utf8.count ?? 0)
    }
}
