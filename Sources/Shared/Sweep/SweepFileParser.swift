import Foundation
import Yams

/// Turns a sweep file (docs/architecture.md, "Sweep files and identity") into a `SweepDefinition`,
/// or refuses it with every problem found.
///
/// The YAML is composed into nodes rather than decoded with `Codable`, because only nodes keep
/// the line numbers that make an error message useful.
public enum SweepFileParser {
    /// Reads and validates the sweep file at `path`. Relative paths inside it (dataset files, prompt
    /// files) are resolved against the file's folder; prompt files are read, their texts stored in the
    /// definition. Throws `SweepFileError` listing every problem found, not only the first.
    public static func load(path: String) throws(SweepFileError) -> SweepDefinition {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file"
            throw SweepFileError(problems: [SweepProblem(file: path, message: reason)])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw SweepFileError(problems: [SweepProblem(file: path, message: "is not UTF-8 text")])
        }
        return try parse(text, file: path, baseFolder: url.deletingLastPathComponent().path)
    }

    /// Same as `load(path:)`, from text; `file` names the source in errors and `baseFolder`
    /// resolves relative paths.
    public static func parse(_ text: String, file: String, baseFolder: String) throws(SweepFileError) -> SweepDefinition {
        let yaml = YAMLReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw SweepFileError(problems: [yaml.syntaxProblem(error, text: text)])
        }
        guard let root else {
            throw SweepFileError(problems: [
                SweepProblem(
                    file: file, line: 1,
                    message: "the file is empty; "
                        + "a sweep needs at least name, dataset and models")
            ])
        }
        guard case .mapping = root else {
            throw SweepFileError(problems: [
                SweepProblem(
                    file: file, line: root.mark?.line,
                    message: "the top level must be a mapping of fields (name, dataset, models, …)")
            ])
        }
        let reader = SweepReader(yaml: yaml, base: URL(fileURLWithPath: baseFolder, isDirectory: true).standardized)
        let definition = reader.definition(root)
        guard let definition, yaml.problems.isEmpty else { throw SweepFileError(problems: yaml.problems) }
        // The rules every definition is held to (`problems()`, which the
        // coordinator applies to one that arrives as JSON) are the file's
        // too: whatever the reader's own checks let through is reported here,
        // at its field's line, so no command accepts a file the coordinator refuses.
        let late = definition.problems().map { problem in
            let (field, message) = SweepFieldPath.split(problem)
            return SweepProblem(file: file, line: SweepFieldPath.line(of: field, in: root), field: field, message: message)
        }
        guard late.isEmpty else { throw SweepFileError(problems: late) }
        return definition
    }
}

/// A field's path in a sweep file (`samples`, `models[1].price.batch_discount`), as
/// `SweepDefinition.problems()` names it, found back in the YAML tree for its line.
enum SweepFieldPath {
    /// `"models[0].rpm: must be greater than 0"` → (`models[0].rpm`, `must be greater than 0`).
    static func split(_ problem: String) -> (field: String, message: String) {
        guard let colon = problem.range(of: ": ") else { return ("", problem) }
        return (String(problem[..<colon.lowerBound]), String(problem[colon.upperBound...]))
    }

    /// The line of the node at `path` under `root`, or of its nearest ancestor the file has
    /// (a field left to its default has no node of its own).
    static func line(of path: String, in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for segment in path.split(separator: ".") {
            let parts = segment.split(separator: "[")
            guard let key = parts.first, case .mapping(let mapping) = node, let child = mapping[Node(String(key))] else { break }
            node = child
            line = child.mark?.line ?? line
            for index in parts.dropFirst().compactMap({ Int($0.dropLast()) }) {
                guard case .sequence(let sequence) = node, sequence.indices.contains(index) else { return line }
                node = sequence[index]
                line = node.mark?.line ?? line
            }
        }
        return line
    }
}

/// The sweep-specific half of parsing: which fields exist, their defaults and their rules.
struct SweepReader {
    let yaml: YAMLReader
    /// The sweep file's folder, for relative paths.
    let base: URL

    static let topKeys =
        [
            "name", "dataset", "tasks", "samples", "categories", "seed", "cache", "cache_namespace",
            "lease_ttl_s", "max_attempts", "budget_usd", "prompts", "models", "judge", "fallback_judge",
            "second_judge",
        ] + batchKeys
    static let modelKeys =
        [
            "name", "provider", "model", "base_url", "api_key_env", "temperature", "max_tokens",
            "mcqa_temperature", "mcqa_max_tokens", "rpm", "tpm", "burst", "max_in_flight",
            "multi_sample", "params", "reasoning", "thinking_budget", "price",
        ] + batchKeys

    func definition(_ root: Node) -> SweepDefinition? {
        guard let top = yaml.fields(root, at: "", known: Self.topKeys) else { return nil }
        let name = yaml.resourceName(top, "name")
        let dataset = datasetReference(top)
        let tasks = self.tasks(top)
        let samples = yaml.int(top, "samples", .positive)
        let categories = self.categories(top)
        let seed = yaml.int(top, "seed")
        let cache = yaml.bool(top, "cache")
        let cacheNamespace = yaml.string(top, "cache_namespace")
        let leaseTTL = yaml.int(top, "lease_ttl_s", .positive)
        let maxAttempts = yaml.int(top, "max_attempts", .positive)
        let budget = yaml.double(top, "budget_usd", .positive)
        let prompts = self.prompts(top)
        let batch = batchChoice(top, provider: nil)
        let models = self.models(top, batch: batch)
        let judge = role(top, "judge", batch: batch)
        let fallbackJudge = role(top, "fallback_judge", batch: batch)
        let secondJudge = role(top, "second_judge", batch: batch).map { Self.withJudgePrompts($0, from: judge) }
        if tasks.contains(.generation) && !has(top, "judge") {
            yaml.report(line: top["tasks"]?.mark?.line ?? top.line, "judge", "is required when tasks include generation")
        }
        if has(top, "fallback_judge") && !has(top, "judge") {
            yaml.report(top["fallback_judge"]!, "fallback_judge", "needs a judge to fall back from")
        }
        if has(top, "second_judge") && !has(top, "judge") {
            yaml.report(top["second_judge"]!, "second_judge", "needs a judge to be compared with")
        }
        guard let name, let dataset else { return nil }
        return SweepDefinition(
            name: name, dataset: dataset, tasks: tasks, samples: samples ?? SweepDefinition.Defaults.samples, categories: categories,
            seed: seed ?? SweepDefinition.Defaults.seed, cache: cache ?? SweepDefinition.Defaults.cache, cacheNamespace: cacheNamespace ?? "",
            leaseTTLSeconds: leaseTTL ?? SweepDefinition.Defaults.leaseTTLSeconds, maxAttempts: maxAttempts ?? SweepDefinition.Defaults.maxAttempts,
            budgetUSD: budget,
            prompts: prompts, models: models, judge: judge, fallbackJudge: fallbackJudge,
            secondJudge: secondJudge)
    }

    /// The second judge grades with the judge's templates unless it names its own (per role), so
    /// that by default the two judges differ only in the model.
    static func withJudgePrompts(_ second: ModelSpec, from judge: ModelSpec?) -> ModelSpec {
        var second = second
        second.safetyPrompt = second.safetyPrompt ?? judge?.safetyPrompt
        second.effectivenessPrompt = second.effectivenessPrompt ?? judge?.effectivenessPrompt
        return second
    }

    /// Whether a role is given; `{}` counts as absent so a template can leave `fallback_judge: {}`.
    private func has(_ fields: YAMLFields, _ key: String) -> Bool {
        guard let node = fields[key] else { return false }
        if case .mapping(let mapping) = node { return !mapping.isEmpty }
        return true
    }

    private func role(_ top: YAMLFields, _ key: String, batch: BatchChoice) -> ModelSpec? {
        guard has(top, key), let node = top[key] else { return nil }
        return model(node, at: key, judge: true, batch: batch)
    }

    private func datasetReference(_ top: YAMLFields) -> DatasetReference? {
        guard let node = top["dataset"] else {
            yaml.report(line: top.line, "dataset", "is required")
            return nil
        }
        guard let fields = yaml.fields(node, at: "dataset", known: ["name", "gen", "mcqa", "images"]) else { return nil }
        let name = yaml.resourceName(fields, "name")
        let paths = ["gen", "mcqa", "images"].map { yaml.string(fields, $0, nonEmpty: true).map(resolve) }
        // Files are imported together: the generation file with its images, the MCQA file beside them.
        if paths[0] != nil && paths[2] == nil {
            yaml.report(fields["gen"]!, "dataset.images", "is required with dataset.gen: name the images folder")
        }
        for (index, key) in [(1, "mcqa"), (2, "images")] where paths[index] != nil && paths[0] == nil {
            yaml.report(fields[key]!, "dataset.\(key)", "needs dataset.gen: the files are imported together")
        }
        guard let name else { return nil }
        return DatasetReference(name: name, generationFile: paths[0], mcqaFile: paths[1], imagesFolder: paths[2])
    }

    private func tasks(_ top: YAMLFields) -> [SweepTask] {
        guard let nodes = yaml.list(top, "tasks") else { return SweepTask.allCases }
        if nodes.isEmpty { yaml.report(top["tasks"]!, "tasks", "must name at least one task (generation, mcqa)") }
        var tasks: [SweepTask] = []
        for (index, node) in nodes.enumerated() {
            guard let task = node.scalar.flatMap({ SweepTask(rawValue: $0.string) }) else {
                yaml.report(node, "tasks[\(index)]", "must be generation or mcqa")
                continue
            }
            if tasks.contains(task) { yaml.report(node, "tasks[\(index)]", "`\(task.rawValue)` is listed twice") }
            tasks.append(task)
        }
        return tasks
    }

    private func categories(_ top: YAMLFields) -> [String] {
        // Membership is checked against the dataset by the store: datasets may define their own categories.
        guard let nodes = yaml.list(top, "categories") else { return [] }
        var categories: [String] = []
        for (index, node) in nodes.enumerated() {
            guard case .scalar(let scalar) = node, !scalar.string.allSatisfy(\.isWhitespace) else {
                yaml.report(node, "categories[\(index)]", "must be a non-empty string")
                continue
            }
            if scalar.string.unicodeScalars.contains("\u{0}") {
                yaml.report(node, "categories[\(index)]", YAMLReader.nulMessage)
                continue
            }
            if categories.contains(scalar.string) {
                yaml.report(node, "categories[\(index)]", "\"\(scalar.string)\" is listed twice")
            }
            categories.append(scalar.string)
        }
        return categories
    }

    private func prompts(_ top: YAMLFields) -> PromptTemplates {
        guard let node = top["prompts"],
            let fields = yaml.fields(node, at: "prompts", known: [TemplateRole.generation.fileKey, TemplateRole.mcqa.fileKey])
        else {
            return PromptTemplates()
        }
        return PromptTemplates(generation: template(fields, for: .generation), mcqa: template(fields, for: .mcqa))
    }

    private func models(_ top: YAMLFields, batch: BatchChoice) -> [ModelSpec] {
        guard let nodes = yaml.list(top, "models", required: true) else { return [] }
        if nodes.isEmpty { yaml.report(top["models"]!, "models", "must list at least one model") }
        var firstIndex: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            // Checked on the raw node so a duplicate is reported even when the entry has other problems.
            guard let nameNode = node.mapping?["name"], let name = nameNode.scalar?.string else { continue }
            if let first = firstIndex[name] {
                yaml.report(nameNode, "models[\(index)].name", "duplicate model name \"\(name)\" (also models[\(first)])")
            } else {
                firstIndex[name] = index
            }
        }
        return nodes.enumerated().compactMap { model($1, at: "models[\($0)]", judge: false, batch: batch) }
    }
}

extension SweepReader {
    /// One entry; `batch` holds the top level's batch fields, the defaults for the entry's own.
    func model(_ node: Node, at path: String, judge: Bool, batch topBatch: BatchChoice) -> ModelSpec? {
        guard let fields = yaml.fields(node, at: path, known: Self.modelKeys + (judge ? ["prompts"] : [])) else { return nil }
        let name = yaml.resourceName(fields, "name")
        let provider = self.provider(fields)
        let model = yaml.string(fields, "model", required: true, nonEmpty: true)
        let baseURL = self.baseURL(fields)
        let keyVariable = apiKeyEnvironment(fields)
        let temperature = yaml.double(fields, "temperature", .temperature)
        let maxTokens = yaml.int(fields, "max_tokens", .positive)
        let mcqaTemperature = yaml.double(fields, "mcqa_temperature", .temperature)
        let mcqaMaxTokens = yaml.int(fields, "mcqa_max_tokens", .positive)
        let rpm = yaml.double(fields, "rpm", .positive)
        let tpm = yaml.double(fields, "tpm", .positive)
        let burst = yaml.double(fields, "burst", .atLeastOne)
        let maxInFlight = yaml.int(fields, "max_in_flight", .positive)
        let multiSample = yaml.bool(fields, "multi_sample")
        let params = self.params(fields)
        let reasoning = yaml.bool(fields, "reasoning")
        let thinkingBudget = self.thinkingBudget(fields, provider: provider)
        let price = self.price(fields)
        let prompts = judge ? judgePrompts(fields) : (safety: nil, effectiveness: nil)
        let batch = batchChoice(fields, provider: provider)
        guard let name, let provider, let model else { return nil }
        return ModelSpec(
            name: name, provider: provider, model: model, baseURL: baseURL, apiKeyEnvironment: keyVariable,
            temperature: temperature, maxTokens: maxTokens, mcqaTemperature: mcqaTemperature,
            mcqaMaxTokens: mcqaMaxTokens, rpm: rpm, tpm: tpm, burst: burst, maxInFlight: maxInFlight,
            multiSample: multiSample ?? true, params: params, reasoning: reasoning, thinkingBudget: thinkingBudget, price: price,
            safetyPrompt: prompts.safety, effectivenessPrompt: prompts.effectiveness,
            batch: batchSettings(batch, top: topBatch, provider: provider))
    }

    private func provider(_ fields: YAMLFields) -> Provider? {
        guard let text = yaml.string(fields, "provider", required: true) else { return nil }
        if let provider = Provider(rawValue: text) { return provider }
        let valid = Provider.allCases.map(\.rawValue).joined(separator: ", ")
        yaml.report(fields["provider"]!, fields.path("provider"), "unknown provider \"\(text)\"; expected one of \(valid)")
        return nil
    }

    /// Trailing slashes are dropped so `…/v1/` and `…/v1` share one rate bucket.
    private func baseURL(_ fields: YAMLFields) -> String? {
        guard var url = yaml.string(fields, "base_url") else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        let host = URL(string: url)?.host ?? ""
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), !host.isEmpty else {
            yaml.report(fields["base_url"]!, fields.path("base_url"), "must be an http:// or https:// URL")
            return nil
        }
        return url
    }

    private func apiKeyEnvironment(_ fields: YAMLFields) -> String? {
        guard let name = yaml.string(fields, "api_key_env") else { return nil }
        let valid =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        if !valid {
            yaml.report(
                fields["api_key_env"]!, fields.path("api_key_env"),
                "must be an environment variable name (letters, digits and '_', not starting with a digit)")
        }
        return valid ? name : nil
    }

    private func params(_ fields: YAMLFields) -> [String: JSONValue] {
        guard let node = fields["params"] else { return [:] }
        guard case .mapping = node else {
            yaml.report(node, fields.path("params"), "must be a mapping")
            return [:]
        }
        return yaml.json(node, at: fields.path("params"))?.objectValue ?? [:]
    }

    /// A whole number of tokens, 0 or more; Anthropic takes no budget below its minimum.
    private func thinkingBudget(_ fields: YAMLFields, provider: Provider?) -> Int? {
        guard let budget = yaml.int(fields, "thinking_budget", .nonNegative), let node = fields["thinking_budget"] else { return nil }
        if let problem = ModelSpec.thinkingBudgetProblem(budget, provider: provider) {
            yaml.report(node, fields.path("thinking_budget"), problem)
            return nil
        }
        return budget
    }

    private func price(_ fields: YAMLFields) -> Price? {
        guard let node = fields["price"],
            let price = yaml.fields(node, at: fields.path("price"), known: ["input_per_mtok", "output_per_mtok", "batch_discount"])
        else { return nil }
        let prices = ["input_per_mtok", "output_per_mtok"].map { key in
            if price[key] == nil { yaml.report(line: price.line, price.path(key), "is required when price is given") }
            return yaml.double(price, key, .nonNegative)
        }
        let discount = yaml.double(price, "batch_discount", .batchDiscount)
        guard let input = prices[0], let output = prices[1] else { return nil }
        return Price(inputPerMTok: input, outputPerMTok: output, batchDiscount: discount ?? Price.defaultBatchDiscount)
    }

    private func judgePrompts(_ fields: YAMLFields) -> (safety: String?, effectiveness: String?) {
        guard let node = fields["prompts"],
            let prompts = yaml.fields(node, at: fields.path("prompts"), known: [TemplateRole.safety.fileKey, TemplateRole.effectiveness.fileKey])
        else { return (nil, nil) }
        return (template(prompts, for: .safety), template(prompts, for: .effectiveness))
    }

    /// The text of the template file for `role`, which must contain every placeholder the role requires.
    func template(_ fields: YAMLFields, for role: TemplateRole) -> String? {
        let key = role.fileKey
        guard let path = yaml.string(fields, key, nonEmpty: true), let node = fields[key] else { return nil }
        let file = resolve(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            yaml.report(node, fields.path(key), "template file \(file) does not exist")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(validating: data, as: UTF8.self) else {
            yaml.report(node, fields.path(key), "template file \(file) cannot be read as UTF-8 text")
            return nil
        }
        let missing = role.missingPlaceholders(in: text)
        guard missing.isEmpty else {
            let noun = missing.count == 1 ? "placeholder" : "placeholders"
            yaml.report(node, fields.path(key), "template file \(file) lacks the \(noun) \(missing.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// An absolute, normalised path; `~` is expanded because users write it in hand-made files.
    func resolve(_ path: String) -> String {
        let expanded = NSString(string: path).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : base.appendingPathComponent(expanded)
        return url.standardized.path
    }
}
