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

    let rows: [Row]
    /// The entries (models and judges) whose requests go through batch APIs, in file order.
    let batchEntries: [String]

    /// `cases` are the sweep's cases after its category filter. Tokens follow `TokenEstimate`,
    /// the rule the coordinator stores with each job.
    init(_ definition: SweepDefinition, cases: [EstimatedCase]) {
        var rows: [Row] = []
        func cost(_ model: ModelSpec, input: Int, output: Int) -> Double? {
            let batch = model.batch != nil
            let usage = Usage(
                inputTokens: input, outputTokens: output, batchInputTokens: batch ? input : 0, batchOutputTokens: batch ? output : 0)
            return model.price.map(usage.cost(at:))
        }
        func sum(_ estimates: [JobTokens]) -> JobTokens {
            estimates.reduce(JobTokens(requests: 0, input: 0, output: 0)) {
                JobTokens(requests: $0.requests + $1.requests, input: $0.input + $1.input, output: $0.output + $1.output)
            }
        }
        let generation = definition.tasks.contains(.generation)
        for model in definition.models {
            for task in definition.tasks {
                let samples = task == .generation ? definition.samples : 1
                let total = sum(cases.map { TokenEstimate.job(model, task: task, prompts: definition.prompts, testCase: $0, samples: samples) })
                rows.append(
                    Row(
                        model: model.name, task: task.rawValue, jobs: cases.count, requests: total.requests, inputTokens: total.input,
                        outputTokens: total.output, batch: model.batch != nil, cost: cost(model, input: total.input, output: total.output)))
            }
            // The judge and the second judge each grade every response, twice (safety, effectiveness),
            // each prompt carrying the response (counted at the most its model may write).
            let responseTokens = TokenEstimate.output(maxTokens: model.request(for: .generation).maxTokens)
            for judge in generation ? [definition.judge, definition.secondJudge].compactMap({ $0 }) : [] {
                let verdicts = sum(
                    cases.flatMap { testCase in
                        [TemplateRole.safety, .effectiveness].map {
                            TokenEstimate.verdict(judge, role: $0, testCase: testCase, responseTokens: responseTokens)
                        }
                    })
                let total = JobTokens(
                    requests: verdicts.requests * definition.samples, input: verdicts.input * definition.samples,
                    output: verdicts.output * definition.samples)
                rows.append(
                    Row(
                        model: model.name, task: "judging (\(judge.name))", jobs: total.requests, requests: total.requests,
                        inputTokens: total.input, outputTokens: total.output, batch: judge.batch != nil,
                        cost: cost(judge, input: total.input, output: total.output)))
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
