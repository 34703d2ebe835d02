import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo sweep …`: submit sweeps and follow or steer them.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Submit, inspect and steer sweeps.",
        subcommands: [Submit.self, Status.self, Steer<Cancel>.self, Steer<Pause>.self, Steer<Resume>.self, Steer<RetryFailed>.self]
    )

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a sweep file and submit it (resubmitting resumes).", discussion: SiuoExit.discussion())
        @Argument(help: "The sweep file (YAML).") var file: String
        @Flag(help: "Replace a sweep of this name whose definition changed (its results are kept).") var replace = false
        @OptionGroup var limit: CaseLimitOption
        @Flag(help: "Print the outcome as one JSON document on stdout.") var json = false
        @OptionGroup var coordinator: CoordinatorOptions

        func run() async throws {
            // Validated here, where the file's relative paths and templates are; a bad file exits 2 (SiuoExit).
            let definition = try SweepFileParser.load(path: file)
            let answer = try await coordinator.adminClient(for: "sweep submit").submit(definition, replace: replace, limit: limit.value)
            if json {
                let document = SubmitDocument(sweep: definition.name, outcome: answer.outcome, jobs: answer.jobs, limit: limit.value)
                return print(try SweepStatusText.json(document))
            }
            let note = CaseLimitOption.note(limit.value)
            switch answer.outcome {
            case .created: print("created sweep \(definition.name): \(answer.jobs) jobs\(note)")
            case .replaced: print("replaced sweep \(definition.name): \(answer.jobs) jobs\(note) (the old results are kept)")
            case .resumed: print("resumed sweep \(definition.name): \(answer.jobs) new jobs\(note)")
            }
        }
    }

    /// `sweep submit --json`: what the submission did.
    struct SubmitDocument: Encodable {
        /// The sweep's name.
        var sweep: String
        /// `created`, `resumed` or `replaced`.
        var outcome: SubmissionOutcome
        /// Jobs this submission created.
        var jobs: Int
        /// The `--limit` given, if any.
        var limit: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sweep, forKey: .sweep)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(jobs, forKey: .jobs)
            try container.encode(limit, forKey: .limit)  // null without a limit, so the key is always there
        }

        enum CodingKeys: String, CodingKey { case sweep, outcome, jobs, limit }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show job counts per state, model and kind.", discussion: SiuoExit.discussion())
        @Argument(help: "The sweep (default: every sweep).") var name: String?
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Follow one sweep's progress live until it finishes (Ctrl-C stops watching, not the sweep).") var watch = false
        @OptionGroup var coordinator: CoordinatorOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if watch && name == nil { throw ValidationError("--watch follows one sweep: name it") }
            if watch && json { throw ValidationError("--watch draws a live view; use --json without it") }
        }

        func run() async throws {
            if watch, let name { return try await follow(name) }
            var statuses: [SweepStatus]
            if coordinator.coordinatorURL != nil {
                let client = try coordinator.adminClient(for: "sweep status")
                if let name { statuses = [try await client.status(name)] } else { statuses = try await client.sweeps() }
            } else {
                // No coordinator named: read the database directly (docs/operations.md, "Commands").
                let store = SweepStore(pool: try await database.open())
                if let name { statuses = [try await store.status(name)] } else { statuses = try await store.list() }
            }
            if json {
                let value: any Encodable = name == nil ? statuses : statuses[0]
                print(try SweepStatusText.json(value))
            } else {
                print(statuses.isEmpty ? "no sweeps" : statuses.map(SweepStatusText.render).joined(separator: "\n\n"))
            }
        }
    }

    struct Cancel: SweepAction {
        static let action = "cancel"
        static let abstract = "Cancel a sweep: runnable jobs stop, late results are refused."
    }
    struct Pause: SweepAction {
        static let action = "pause"
        static let abstract = "Stop leasing a sweep's jobs (leased ones finish)."
    }
    struct Resume: SweepAction {
        static let action = "resume"
        static let abstract = "Lease a paused or cancelled sweep's jobs again."
    }
    struct RetryFailed: SweepAction {
        static let action = "retry-failed"
        static let abstract = "Requeue a sweep's failed jobs (after fixing a key or quota)."
    }

    /// One command per action; they differ only in the route they call.
    struct Steer<Action: SweepAction>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Action.action, abstract: Action.abstract, discussion: SiuoExit.discussion())
        }
        @Argument(help: "The sweep.") var name: String
        @Flag(help: "Print the sweep's status afterwards as one JSON document on stdout (as `sweep status NAME --json`).") var json = false
        @OptionGroup var coordinator: CoordinatorOptions

        func run() async throws {
            let status = try await coordinator.adminClient(for: "sweep \(Action.action)").act(Action.action, on: name)
            print(json ? try SweepStatusText.json(status) : SweepStatusText.render(status))
        }
    }
}

/// What distinguishes the steering commands.
protocol SweepAction {
    static var action: String { get }
    static var abstract: String { get }
}

/// Sweep status as text for people.
enum SweepStatusText {
    static var prettyEncoder: JSONEncoder {
        let encoder = WireCoding.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as pretty JSON, safe to print: provider words (errors, batch states) it carries cannot
    /// move or restyle the terminal (`TerminalText.escapingJSON`).
    static func json(_ value: some Encodable) throws -> String {
        TerminalText.escapingJSON(try prettyEncoder.encode(value))
    }

    static func render(_ status: SweepStatus) -> String {
        let jobs = status.jobs
        var lines = [
            "\(status.name): \(status.state.rawValue) — \(jobs.done)/\(jobs.total) done, \(jobs.queued) queued, \(jobs.leased) leased, "
                + (jobs.batched > 0 || !status.batches.isEmpty ? "\(jobs.batched) in batches, " : "")
                + "\(jobs.failed) failed, \(jobs.cancelled) cancelled"
        ]
        for model in status.models.keys.sorted() {
            let kinds = status.models[model]!.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.done)/\($0.value.total)" }
            lines.append("  \(model): " + kinds.joined(separator: ", "))
        }
        return (lines + FailureStatusLines.lines(status.failures) + EndpointLimit.lines(status.limits) + BatchStatusLines.lines(status.batches))
            .joined(separator: "\n")
    }
}
