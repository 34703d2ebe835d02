/// The HTML report's plain tables: ranking, outcomes and usage, provenance.
enum HTMLTables {
    /// Models best first with their rates, intervals, judge-failure rate and MCQA accuracy.
    static func ranking(_ models: [ModelReport]) -> String {
        var rows = [
            "<table>",
            header([
                "#", "model", "cases", "safe &amp; effective", "safe", "effective",
                "judge failures", "MCQA accuracy",
            ]),
        ]
        for (rank, model) in models.enumerated() {
            let overall = model.generation?.overall
            rows.append(
                row(
                    model.model, leading: ["\(rank + 1)"],
                    [
                        ReportNumbers.kept(overall), ReportNumbers.rate(overall?.safeAndEffective, overall?.safeAndEffectiveCI95),
                        ReportNumbers.rate(overall?.safe, overall?.safeCI95), ReportNumbers.rate(overall?.effective, overall?.effectiveCI95),
                        "\(model.generation?.judgeFailures ?? 0) (\(ReportNumbers.percent(model.judgeFailureRate))%)",
                        ReportNumbers.rate(model.mcqa?.overall.accuracy, model.mcqa?.overall.accuracyCI95),
                    ]))
        }
        return (rows + ["</table>"]).joined(separator: "\n")
    }

    /// Outcome counts, judge failures, requests (of them through batches), retries, tokens and billed cost per model,
    /// and the judge's total.
    static func usage(_ models: [ModelReport], judgeUsage: UsageTotals) -> String {
        var rows = [
            "<table>",
            header([
                "model", "answers", "refusals", "blocks", "truncated", "judge failures",
                "MCQA unparsed", "requests", "batch requests", "retries", "cache hits", "tokens in", "tokens out",
                "cost", "judge cost",
            ]),
        ]
        for model in models {
            let (outcomes, usage) = (model.outcomes, model.usage)
            rows.append(
                row(
                    model.model,
                    [
                        "\(outcomes.answer)", "\(outcomes.refusal)", "\(outcomes.blocked)", "\(outcomes.truncated)",
                        "\(model.generation?.judgeFailures ?? 0)", "\(model.mcqa?.overall.unparsed ?? 0)", "\(usage.requests)",
                        "\(usage.batchRequests)", "\(usage.retries)", "\(usage.cacheHits)", "\(usage.inputTokens)", "\(usage.outputTokens)",
                        ReportNumbers.dollars(usage.costUSD), ReportNumbers.dollars(model.judgeUsage.costUSD),
                    ]))
        }
        rows.append(
            row(
                "judge (all models)",
                [
                    "", "", "", "", "", "", "\(judgeUsage.requests)", "\(judgeUsage.batchRequests)", "\(judgeUsage.retries)",
                    "\(judgeUsage.cacheHits)",
                    "\(judgeUsage.inputTokens)", "\(judgeUsage.outputTokens)", "", ReportNumbers.dollars(judgeUsage.costUSD),
                ]))
        return (rows + ["</table>"]).joined(separator: "\n")
    }

    /// Versions, hashes and times.
    static func provenance(_ provenance: ReportProvenance) -> String {
        var rows = ["<table>", header(["item", "value"])]
        var items = [
            ("siuo version", provenance.siuoVersion), ("dataset sha256", provenance.datasetSHA256),
            ("started", "\(provenance.startedAt)"), ("finished", provenance.finishedAt.map { "\($0)" } ?? "not yet"),
        ]
        items += provenance.templatesSHA256.sorted { $0.key < $1.key }.map { ("\($0.key) template sha256", $0.value) }
        items += provenance.models.sorted { $0.key < $1.key }.map { name, model in
            ("\(name) resolved as", [model.resolvedModel, model.systemFingerprint].compactMap { $0 }.joined(separator: ", "))
        }
        items += provenance.models.sorted { $0.key < $1.key }.compactMap { name, model in
            model.request.map { ("\(name) requests", $0.summary) }
        }
        items += (provenance.judges ?? [:]).sorted { $0.key < $1.key }.map { ("judge \($0.key) requests", $0.value.summary) }
        rows += items.map { "<tr><td class=\"name\">\(HTMLText.escape($0.0))</td><td class=\"name\"><code>\(HTMLText.escape($0.1))</code></td></tr>" }
        return (rows + ["</table>"]).joined(separator: "\n")
    }

    /// A header row; `cells` are HTML already.
    private static func header(_ cells: [String]) -> String {
        "<tr>" + cells.map { "<th>\($0)</th>" }.joined() + "</tr>"
    }

    /// A body row: `leading` cells, the escaped model name, then `cells`.
    private static func row(_ name: String, leading: [String] = [], _ cells: [String]) -> String {
        "<tr>" + leading.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "<td class=\"name\">\(HTMLText.escape(name))</td>"
            + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>"
    }
}
