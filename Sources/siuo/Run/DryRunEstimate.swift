import Foundation
import Shared

/// What a sweep will ask of each model, before anything runs: jobs per
/// model and task, requests, tokens, whether they go live or through the
/// provider's batch API and, where prices are given, cost (batch requests
/// at the batch discount).
struct DryRunEstimate {
    struct Row {
        var model: String
        var task: String
        var jobs: Int
        var requests: Int
        var inputTokens: Int
        var outputTokens: Int
        /// Sent through the provider's batch API.
        var batch: Bool
        var cost: Double?
    }

    /// Tokens an image costs as input (a typical SIUO image at high detail).
    static let imageTokens = 1_000
    static let characterPerToken = 4

    let rows: [Row]
    /// The entries (models and judges) whose requests go through batch APIs, in file order.
    let batchEntries: [String]

    /// `cases` are the sweep's cases after its category filter: their question lengths.
    init(_ definition: SweepDefinition, questionLengths cases: [Int]) {
        var rows: [Row] = []
        let caseCount = cases.count
        let promptTokens = cases.reduce(0) { $0 + $1 / Self.characterPerToken + Self.imageTokens }
        func cost(_ model: ModelSpec, input: Int, output: Int) -> Double? {
            let batch = model.batch != nil
            let usage = Usage(
                inputTokens: input, outputTokens: output, batchInputTokens: batch ? input : 0, batchOutputTokens: batch ? output : 0)
            return model.price.map(usage.cost(at:))
        }
        let generation = definition.tasks.contains(.generation)
        for model in definition.models {
            if generation {
                let multi = model.multiSample && model.provider != .anthropic
                let requests = multi ? caseCount : caseCount * definition.samples
                let input = multi ? promptTokens : promptTokens * definition.samples
                let output = caseCount * definition.samples * (model.request(for: .generation).maxTokens ?? 500)
                rows.append(
                    Row(
                        model: model.name, task: "generation", jobs: caseCount, requests: requests, inputTokens: input,
                        outputTokens: output, batch: model.batch != nil, cost: cost(model, input: input, output: output)))
            }
            if definition.tasks.contains(.mcqa) {
                let input = promptTokens + caseCount * 60
                let output = caseCount * (model.request(for: .mcqa).maxTokens ?? 5)
                rows.append(
                    Row(
                        model: model.name, task: "mcqa", jobs: caseCount, requests: caseCount, inputTokens: input,
                        outputTokens: output, batch: model.batch != nil, cost: cost(model, input: input, output: output)))
            }
            // The judge and the second judge each grade every response.
            for judge in generation ? [definition.judge, definition.secondJudge].compactMap({ $0 }) : [] {
                // Two verdicts per response, each prompt carrying the response (at most its token limit).
                let verdicts = 2 * caseCount * definition.samples
                let input = 2 * definition.samples * promptTokens + verdicts * (300 + (model.maxTokens ?? 500))
                let output = verdicts * (judge.request(for: .judging).maxTokens ?? 512)
                rows.append(
                    Row(
                        model: model.name, task: "judging (\(judge.name))", jobs: verdicts, requests: verdicts,
                        inputTokens: input, outputTokens: output, batch: judge.batch != nil, cost: cost(judge, input: input, output: output)))
            }
        }
        self.rows = rows
        let judges = generation ? definition.judges : []
        batchEntries = (definition.models + judges).filter { $0.batch != nil }.map(\.name)
    }

    /// The table `--dry-run` prints.
    var text: String {
        var lines = ["model                 task                         jobs  requests  input tokens  output tokens (at most)  via    cost"]
        for row in rows {
            let cost = row.cost.map { String(format: "$%.2f", $0) } ?? "-"
            lines.append(
                row.model.padding(toLength: 21, withPad: " ", startingAt: 0) + " "
                    + row.task.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(row.jobs).leftPadded(9) + String(row.requests).leftPadded(10)
                    + String(row.inputTokens).leftPadded(14) + String(row.outputTokens).leftPadded(25) + "  "
                    + (row.batch ? "batch" : "live ") + "  " + cost)
        }
        let jobs = rows.reduce(0) { $0 + $1.jobs }
        let requests = rows.reduce(0) { $0 + $1.requests }
        let priced = rows.compactMap(\.cost)
        lines.append(
            "total: \(jobs) jobs, about \(requests) requests before retries"
                + (priced.isEmpty ? "" : String(format: ", at most $%.2f for the priced models", priced.reduce(0, +))))
        if !batchEntries.isEmpty {
            lines.append(
                "through batch APIs (priced at price.batch_discount, answers within batch_deadline, usually minutes): "
                    + batchEntries.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
