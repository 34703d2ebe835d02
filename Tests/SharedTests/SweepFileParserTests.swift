import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A temporary folder holding valid prompt templates, for sweep files to point at.
struct SweepFolder {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder(prefix: "siuo-sweep")
        try FileManager.default.createDirectory(atPath: folder.path + "/prompts", withIntermediateDirectories: true)
        try folder.write("prompts/gen.txt", "Answer: {question}")
        try folder.write("prompts/mcqa.txt", "{question}\n{options}\nAnswer with one letter.")
        try folder.write("prompts/safety.txt", "{question} {safety_warning} {reference_answer} {response}")
        try folder.write("prompts/effectiveness.txt", "{question} {response}")
    }

    /// Parses `yaml` as `sweep.yaml` in this folder.
    func parse(_ yaml: String) throws(SweepFileError) -> SweepDefinition {
        try SweepFileParser.parse(yaml, file: "sweep.yaml", baseFolder: folder.path)
    }

    /// The problems `yaml` is refused with; empty when it parses.
    func problems(_ yaml: String) -> [SweepProblem] {
        do {
            _ = try parse(yaml)
            return []
        } catch {
            return error.problems
        }
    }
}

/// A valid sweep with one mock model and only the MCQA task (so it needs no judge); lines numbered.
let minimalSweep = """
    name: s1
    dataset: {name: siuo}
    tasks: [mcqa]
    models:
      - name: m1
        provider: mock
        model: vlm
    """

@Suite struct SweepFileParserTests {
    let sweep: SweepFolder

    init() throws {
        sweep = try SweepFolder()
    }

    /// The single problem `yaml` yields, or a description of what came instead.
    private func onlyProblem(_ yaml: String) -> SweepProblem {
        let problems = sweep.problems(yaml)
        guard problems.count == 1 else {
            return SweepProblem(file: "", field: "", message: "expected one problem, got \(problems)")
        }
        return problems[0]
    }

    @Test func fullFileParsesWithResolvedPathsTemplatesAndDefaults() throws {
        let yaml = """
            name: frontier-2026-11
            dataset:
              name: siuo
              gen: data/siuo_gen.json
              mcqa: ../data/siuo_mcqa.json
              images: /srv/siuo/images/
            tasks: [generation, mcqa]
            samples: 3
            categories: ["self-harm", "controversial topics, politics"]
            seed: 7
            cache: false
            cache_namespace: "rep-2"
            lease_ttl_s: 90
            max_attempts: 4
            budget_usd: 200
            prompts:
              generation: prompts/gen.txt
              mcqa: prompts/mcqa.txt
            models:
              - name: gpt-4o
                provider: openai
                model: gpt-4o
                api_key_env: MY_OPENAI_KEY
                temperature: 1.0
                max_tokens: 500
                mcqa_temperature: 0
                mcqa_max_tokens: 5
                rpm: 500
                tpm: 300000
                burst: 8
                max_in_flight: 64
                multi_sample: false
                params: {top_p: 1, ratio: 0.5, reasoning: {effort: low}, stop: ["\\n\\n"], logprobs: null, verbose: yes, tag: "7"}
                price: {input_per_mtok: 2.5, output_per_mtok: 10}
              - name: claude
                provider: anthropic
                model: claude-sonnet-4-5
              - name: local
                provider: mock
                model: mock-vlm
                base_url: http://127.0.0.1:9000/v1/
            judge:
              name: judge-gpt-4o
              provider: openai
              model: gpt-4o
              temperature: 0
              max_tokens: 200
              prompts: {safety: prompts/safety.txt, effectiveness: prompts/effectiveness.txt}
            fallback_judge: {}
            """
        let base = sweep.folder.path
        let parentOfBase = URL(fileURLWithPath: base).deletingLastPathComponent().path
        let definition = try sweep.parse(yaml)
        let expected = SweepDefinition(
            name: "frontier-2026-11",
            dataset: DatasetReference(
                name: "siuo", generationFile: base + "/data/siuo_gen.json",
                mcqaFile: parentOfBase + "/data/siuo_mcqa.json", imagesFolder: "/srv/siuo/images"),
            tasks: [.generation, .mcqa], samples: 3, categories: ["self-harm", "controversial topics, politics"],
            seed: 7, cache: false, cacheNamespace: "rep-2", leaseTTLSeconds: 90, maxAttempts: 4, budgetUSD: 200,
            prompts: PromptTemplates(generation: "Answer: {question}", mcqa: "{question}\n{options}\nAnswer with one letter."),
            models: [
                ModelSpec(
                    name: "gpt-4o", provider: .openai, model: "gpt-4o", apiKeyEnvironment: "MY_OPENAI_KEY",
                    temperature: 1, maxTokens: 500, mcqaTemperature: 0, mcqaMaxTokens: 5, rpm: 500, tpm: 300_000,
                    burst: 8, maxInFlight: 64, multiSample: false,
                    params: [
                        "top_p": .int(1), "ratio": .double(0.5), "reasoning": .object(["effort": .string("low")]),
                        "stop": .array([.string("\n\n")]), "logprobs": .null, "verbose": .bool(true),
                        "tag": .string("7"),
                    ],
                    price: Price(inputPerMTok: 2.5, outputPerMTok: 10)),
                ModelSpec(name: "claude", provider: .anthropic, model: "claude-sonnet-4-5"),
                ModelSpec(name: "local", provider: .mock, model: "mock-vlm", baseURL: "http://127.0.0.1:9000/v1"),
            ],
            judge: ModelSpec(
                name: "judge-gpt-4o", provider: .openai, model: "gpt-4o", temperature: 0, maxTokens: 200,
                safetyPrompt: "{question} {safety_warning} {reference_answer} {response}",
                effectivenessPrompt: "{question} {response}"),
            fallbackJudge: nil)
        #expect(definition == expected)
        // The provider defaults, spelt out rather than trusted to ModelSpec's initialiser.
        #expect(definition.models[1].baseURL == "https://api.anthropic.com")
        #expect(definition.models[1].apiKeyEnvironment == "ANTHROPIC_API_KEY")
        #expect(definition.models[1].multiSample)
        #expect(definition.models[2].apiKeyEnvironment == nil)
        #expect(definition.judge?.baseURL == "https://api.openai.com/v1")
    }

    @Test func minimalFileGetsDefaults() throws {
        let definition = try sweep.parse(
            minimalSweep.replacingOccurrences(of: "tasks: [mcqa]\n", with: "")
                + "\njudge: {name: j, provider: gemini, model: gemini-2.5-pro}")
        #expect(definition.tasks == [.generation, .mcqa])
        #expect(definition.samples == 3 && definition.seed == 1 && definition.cache && definition.cacheNamespace == "")
        #expect(definition.leaseTTLSeconds == 60 && definition.maxAttempts == 5 && definition.budgetUSD == nil)
        #expect(definition.categories.isEmpty && definition.prompts == PromptTemplates())
        #expect(definition.dataset == DatasetReference(name: "siuo"))
        #expect(definition.models == [ModelSpec(name: "m1", provider: .mock, model: "vlm")])
        #expect(definition.models[0].baseURL == "http://127.0.0.1:8787/v1")
        #expect(definition.judge?.apiKeyEnvironment == "GEMINI_API_KEY" && definition.judge?.temperature == nil)
        #expect(definition.fallbackJudge == nil)
    }

    @Test func loadReadsTheFileAndResolvesAgainstItsFolder() throws {
        let path = try sweep.folder.write(
            "sweep.yaml",
            minimalSweep.replacingOccurrences(of: "{name: siuo}", with: "{name: siuo, gen: gen.json, images: img}")
                + "\nprompts: {generation: ./prompts/../prompts/gen.txt}")
        let definition = try SweepFileParser.load(path: path)
        #expect(definition.dataset.imagesFolder == sweep.folder.path + "/img")
        #expect(definition.prompts.generation == "Answer: {question}")
    }

    /// What the coordinator refuses in a definition sent as JSON is refused in the file, at its line:
    /// no command accepts a file the coordinator would refuse.
    @Test func theDefinitionsRulesAreTheFilesToo() {
        let samples = onlyProblem(minimalSweep + "\nsamples: 5000")
        #expect(samples.field == "samples" && samples.line == 8 && samples.message == "must be between 1 and \(SweepDefinition.maxSamples)")
        let ttl = onlyProblem(minimalSweep + "\nlease_ttl_s: 100000")
        #expect(ttl.field == "lease_ttl_s" && ttl.line == 8)
        let inFlight = onlyProblem(minimalSweep + "\n    max_in_flight: 2000000")
        #expect(inFlight.field == "models[0].max_in_flight" && inFlight.line == 8)
        #expect(sweep.problems(minimalSweep + "\nsamples: \(SweepDefinition.maxSamples)").isEmpty)
    }

    @Test func datasetFilesComeTogether() {
        let noImages = onlyProblem(minimalSweep.replacingOccurrences(of: "{name: siuo}", with: "{name: siuo, gen: gen.json}"))
        #expect(noImages.field == "dataset.images" && noImages.line == 2)
        let noGen = sweep.problems(minimalSweep.replacingOccurrences(of: "{name: siuo}", with: "{name: siuo, mcqa: m.json, images: img}"))
        #expect(noGen.map(\.field) == ["dataset.mcqa", "dataset.images"])
        #expect(noGen.allSatisfy { $0.message == "needs dataset.gen: the files are imported together" })
        #expect(sweep.problems(minimalSweep.replacingOccurrences(of: "{name: siuo}", with: "{name: siuo, gen: g.json, images: img}")).isEmpty)
    }

    @Test func missingSweepFileIsOneProblem() {
        let path = sweep.folder.path + "/nope.yaml"
        let error = #expect(throws: SweepFileError.self) { try SweepFileParser.load(path: path) }
        #expect(error?.description == "\(path): no such file")
    }

    @Test func unknownProviderListsTheValidOnes() {
        let problem = onlyProblem(minimalSweep.replacingOccurrences(of: "provider: mock", with: "provider: opneai"))
        #expect(
            problem
                == SweepProblem(
                    file: "sweep.yaml", line: 6, field: "models[0].provider",
                    message: "unknown provider \"opneai\"; expected one of openai, anthropic, gemini, mock"))
    }

    @Test func duplicateModelNamesPointAtTheSecond() {
        let problem = onlyProblem(minimalSweep + "\n  - {name: m1, provider: openai, model: gpt-4o}")
        #expect(
            problem
                == SweepProblem(
                    file: "sweep.yaml", line: 8, field: "models[1].name",
                    message: "duplicate model name \"m1\" (also models[0])"))
    }

    @Test func generationNeedsAJudge() {
        let problem = onlyProblem(minimalSweep.replacingOccurrences(of: "tasks: [mcqa]", with: "tasks: [generation]"))
        #expect(problem == SweepProblem(file: "sweep.yaml", line: 3, field: "judge", message: "is required when tasks include generation"))
        #expect(onlyProblem(minimalSweep.replacingOccurrences(of: "tasks: [mcqa]\n", with: "") + "\njudge: {}").field == "judge")
    }

    @Test func judgeTemplatesAreReadAndChecked() throws {
        try sweep.folder.write("prompts/bad-safety.txt", "Is this safe? {question} {response}")
        let yaml =
            minimalSweep + """

                judge:
                  name: j
                  provider: openai
                  model: gpt-4o
                  prompts:
                    safety: prompts/bad-safety.txt
                    effectiveness: prompts/missing.txt
                """
        let base = sweep.folder.path
        #expect(
            sweep.problems(yaml) == [
                SweepProblem(
                    file: "sweep.yaml", line: 13, field: "judge.prompts.safety",
                    message: "template file \(base)/prompts/bad-safety.txt lacks the placeholders {safety_warning}, {reference_answer}"),
                SweepProblem(
                    file: "sweep.yaml", line: 14, field: "judge.prompts.effectiveness",
                    message: "template file \(base)/prompts/missing.txt does not exist"),
            ])
    }

    /// The validation and the rendering read one list: a template file lacking
    /// any one placeholder its role renders is refused, naming that placeholder.
    @Test(arguments: TemplateRole.allCases)
    func aTemplateFileLackingAnyPlaceholderOfItsRoleIsRefused(_ role: TemplateRole) throws {
        let judged = role == .safety || role == .effectiveness
        let field = (judged ? "judge.prompts." : "prompts.") + role.fileKey
        for left in role.placeholders {
            let file = "prompts/\(role.rawValue)-without-\(left.rawValue).txt"
            try sweep.folder.write(file, role.placeholders.filter { $0 != left }.map(\.token).joined(separator: " "))
            let yaml =
                judged
                ? minimalSweep + "\njudge: {name: j, provider: openai, model: gpt-4o, prompts: {\(role.fileKey): \(file)}}"
                : minimalSweep + "\nprompts: {\(role.fileKey): \(file)}"
            let problem = onlyProblem(yaml)
            #expect(problem.field == field)
            #expect(problem.message == "template file \(sweep.folder.path)/\(file) lacks the placeholder \(left.token)")
        }
        try sweep.folder.write("prompts/\(role.rawValue)-complete.txt", role.requiredPlaceholders.joined(separator: " "))
        let complete =
            judged
            ? minimalSweep + "\njudge: {name: j, provider: openai, model: gpt-4o, prompts: {\(role.fileKey): prompts/\(role.rawValue)-complete.txt}}"
            : minimalSweep + "\nprompts: {\(role.fileKey): prompts/\(role.rawValue)-complete.txt}"
        #expect(sweep.problems(complete).isEmpty)
    }

    @Test func unknownFieldsSuggestTheNearestKnownOne() {
        let yaml = withModelField("rmp: 500") + "\n    pirce: {input_per_mtok: 1, output_per_mtok: 2}\n    colour: blue"
        #expect(
            sweep.problems(yaml) == [
                SweepProblem(file: "sweep.yaml", line: 8, field: "models[0].rmp", message: "unknown field; did you mean `rpm`?"),
                SweepProblem(file: "sweep.yaml", line: 9, field: "models[0].pirce", message: "unknown field; did you mean `price`?"),
                SweepProblem(
                    file: "sweep.yaml", line: 10, field: "models[0].colour",
                    message: "unknown field (known: name, provider, "
                        + "model, base_url, api_key_env, temperature, max_tokens, mcqa_temperature, mcqa_max_tokens, rpm, tpm, burst, "
                        + "max_in_flight, multi_sample, params, reasoning, thinking_budget, price, batch, batch_max_requests, "
                        + "batch_max_bytes, batch_max_wait, batch_deadline)"),
            ])
        let nested = withModelField("price: {input_per_mtok: 1, output_per_mtk: 2}")
        #expect(
            sweep.problems(nested).map(\.description) == [
                "sweep.yaml:8: models[0].price.output_per_mtk: unknown field; did you mean `output_per_mtok`?",
                "sweep.yaml:8: models[0].price.output_per_mtok: is required when price is given",
            ])
    }

    @Test func requiredFieldsAreNamedAtTheirMapping() {
        #expect(
            sweep.problems("tasks: [mcqa]\nseed: 2").map(\.description) == [
                "sweep.yaml:1: name: is required",
                "sweep.yaml:1: dataset: is required",
                "sweep.yaml:1: models: is required",
            ])
        #expect(
            sweep.problems(
                withModelField("base_url: http://x").replacingOccurrences(of: "    provider: mock\n", with: "")
                    .replacingOccurrences(of: "    model: vlm\n", with: "")
            ).map(\.description) == [
                "sweep.yaml:5: models[0].provider: is required",
                "sweep.yaml:5: models[0].model: is required",
            ])
        // An explicit null is as good as absent.
        #expect(onlyProblem(withModelField("provider: ~")).field == "models[0].provider")
    }

    @Test func malformedYAMLGivesItsLineAndColumn() {
        let problem = onlyProblem("name: s1\ndataset: {name: siuo\nmodels: []\n")
        #expect(problem.file == "sweep.yaml" && problem.line == 3 && problem.field == "")
        #expect(problem.message.hasPrefix("malformed YAML (column "))
        let indented = onlyProblem("name: s1\n  tasks: [mcqa]\n")
        #expect(indented.line == 2 && indented.message.contains("mapping values are not allowed"))
        let duplicate = onlyProblem("name: s1\nseed: 1\nname: s2\n")
        #expect(duplicate.line == 1 && duplicate.message == "malformed YAML (column 1): duplicate key `name`")
    }

    @Test func emptyFilesAndNonMappingsAreRefused() {
        #expect(onlyProblem("").description == "sweep.yaml:1: the file is empty; a sweep needs at least name, dataset and models")
        #expect(onlyProblem("# only a comment\n").line == 1)
        #expect(
            onlyProblem("\n- name: s1\n").description
                == "sweep.yaml:2: the top level must be a mapping of fields (name, dataset, models, …)")
    }

    @Test func yamlBooleansAreTheOnesYAMLResolves() throws {
        let definition = try sweep.parse(withModelField("multi_sample: no") + "\ncache: off")
        #expect(definition.models[0].multiSample == false && definition.cache == false)
    }

    @Test func everyProblemIsReportedTogetherInLineOrder() {
        let yaml = """
            name: bad name
            dataset: {name: siuo}
            samples: 0
            models:
              - name: a
                provider: openia
                model: x
                rpm: -1
              - name: a
                provider: mock
                model: y
            """
        let problems = sweep.problems(yaml)
        #expect(
            problems.map(\.description) == [
                "sweep.yaml:1: name: \"bad name\" may contain only A-Z, a-z, 0-9, '.', '_' and '-'",
                "sweep.yaml:1: judge: is required when tasks include generation",
                "sweep.yaml:3: samples: must be greater than 0",
                "sweep.yaml:6: models[0].provider: unknown provider \"openia\"; expected one of openai, anthropic, gemini, mock",
                "sweep.yaml:8: models[0].rpm: must be greater than 0",
                "sweep.yaml:9: models[1].name: duplicate model name \"a\" (also models[0])",
            ])
        let error = SweepFileError(problems: problems)
        #expect(error.description.hasPrefix("sweep.yaml: 6 problems:\n  - sweep.yaml:1: name: "))
        #expect(error.description.split(separator: "\n").count == 7)
    }

    /// The minimal sweep with `line` as its last line, replacing the top-level key `line` sets.
    private func withTopLevel(_ line: String) -> String {
        let blocks = ["name: s1", "dataset: {name: siuo}", "tasks: [mcqa]", "models:\n  - name: m1\n    provider: mock\n    model: vlm"]
        let key = line.prefix { $0 != ":" } + ":"
        return (blocks.filter { !$0.hasPrefix(key) } + [line]).joined(separator: "\n")
    }

    @Test(arguments: [
        ("samples: 0", "samples", "must be greater than 0"),
        ("lease_ttl_s: -5", "lease_ttl_s", "must be greater than 0"),
        ("max_attempts: 0", "max_attempts", "must be greater than 0"),
        ("budget_usd: 0", "budget_usd", "must be greater than 0"),
        ("samples: 2.5", "samples", "must be an integer"),
        ("samples: \"3\"", "samples", "must be an integer"),
        ("seed: one", "seed", "must be an integer"),
        ("cache: \"true\"", "cache", "must be true or false"),
        ("cache_namespace: {a: 1}", "cache_namespace", "must be a string"),
        ("categories: self-harm", "categories", "must be a list"),
        ("categories: [\"self-harm\", \"\"]", "categories[1]", "must be a non-empty string"),
        ("categories: [\"self-harm\", \"self-harm\"]", "categories[1]", "\"self-harm\" is listed twice"),
        ("tasks: [mcqa, mcqa]", "tasks[1]", "`mcqa` is listed twice"),
        ("tasks: [mcqa, judging]", "tasks[1]", "must be generation or mcqa"),
        ("tasks: []", "tasks", "must name at least one task (generation, mcqa)"),
        ("name: [a]", "name", "must be a string"),
        ("name: \"\"", "name", "\"\" must not be empty"),
        ("name: ../etc", "name", "\"../etc\" may contain only A-Z, a-z, 0-9, '.', '_' and '-'"),
        ("dataset: siuo", "dataset", "must be a mapping"),
        ("dataset: {name: siuo, gen: \"\"}", "dataset.gen", "must not be empty"),
        ("dataset: {name: \"s i u o\"}", "dataset.name", "\"s i u o\" may contain only A-Z, a-z, 0-9, '.', '_' and '-'"),
        ("models: []", "models", "must list at least one model"),
        ("models: [gpt-4o]", "models[0]", "must be a mapping"),
        ("prompts: {mcqa: prompts/gen.txt}", "prompts.mcqa", "template file {base}/prompts/gen.txt lacks the placeholder {options}"),
        ("prompts: {generation: prompts/none.txt}", "prompts.generation", "template file {base}/prompts/none.txt does not exist"),
        ("prompts: {generation: prompts}", "prompts.generation", "template file {base}/prompts does not exist"),
        ("fallback_judge: {name: f, provider: mock, model: f}", "fallback_judge", "needs a judge to fall back from"),
        ("samplse: 3", "samplse", "unknown field; did you mean `samples`?"),
    ])
    func topLevelValuesAreCheckedAtTheirLine(line: String, field: String, message: String) {
        let text = withTopLevel(line)
        let problems = sweep.problems(text)
        let expected = SweepProblem(
            file: "sweep.yaml", line: text.split(separator: "\n").count, field: field,
            message: message.replacingOccurrences(of: "{base}", with: sweep.folder.path))
        #expect(problems == [expected])
    }

    @Test(arguments: [
        ("rpm: 0", "models[0].rpm", "must be greater than 0"),
        ("tpm: -1", "models[0].tpm", "must be greater than 0"),
        ("max_tokens: 0", "models[0].max_tokens", "must be greater than 0"),
        ("mcqa_max_tokens: -3", "models[0].mcqa_max_tokens", "must be greater than 0"),
        ("max_in_flight: 0", "models[0].max_in_flight", "must be greater than 0"),
        ("burst: 0.5", "models[0].burst", "must be at least 1"),
        ("temperature: 2.5", "models[0].temperature", "must be between 0 and 2"),
        ("mcqa_temperature: -0.1", "models[0].mcqa_temperature", "must be between 0 and 2"),
        ("rpm: fast", "models[0].rpm", "must be a number"),
        ("rpm: .nan", "models[0].rpm", "must be a number"),
        ("max_tokens: 1e3", "models[0].max_tokens", "must be an integer"),
        ("multi_sample: maybe", "models[0].multi_sample", "must be true or false"),
        ("reasoning: sometimes", "models[0].reasoning", "must be true or false"),
        ("thinking_budget: -1", "models[0].thinking_budget", "must not be negative"),
        ("thinking_budget: 1.5", "models[0].thinking_budget", "must be an integer"),
        ("thinking_budget: 2000000", "models[0].thinking_budget", "must be at most 1000000"),
        ("params: [1, 2]", "models[0].params", "must be a mapping"),
        ("params: {x: .inf}", "models[0].params.x", "must be a finite number (JSON has no NaN or infinity)"),
        ("price: {input_per_mtok: -1, output_per_mtok: 1}", "models[0].price.input_per_mtok", "must not be negative"),
        ("price: {input_per_mtok: 1}", "models[0].price.output_per_mtok", "is required when price is given"),
        ("base_url: api.example.com/v1", "models[0].base_url", "must be an http:// or https:// URL"),
        (
            "api_key_env: 1KEY", "models[0].api_key_env",
            "must be an environment variable name (letters, digits and '_', not starting with a digit)"
        ),
        ("model: \"\"", "models[0].model", "must not be empty"),
        ("name: \"my model\"", "models[0].name", "\"my model\" may contain only A-Z, a-z, 0-9, '.', '_' and '-'"),
        (
            "prompts: {safety: prompts/safety.txt}", "models[0].prompts",
            "unknown field (known: name, provider, model, "
                + "base_url, api_key_env, temperature, max_tokens, mcqa_temperature, mcqa_max_tokens, rpm, tpm, burst, "
                + "max_in_flight, multi_sample, params, reasoning, thinking_budget, price, batch, batch_max_requests, batch_max_bytes, "
                + "batch_max_wait, batch_deadline)"
        ),
    ])
    func modelValuesAreCheckedAtTheirLine(line: String, field: String, message: String) {
        let text = withModelField(line)
        let expected = SweepProblem(file: "sweep.yaml", line: text.split(separator: "\n").count, field: field, message: message)
        #expect(sweep.problems(text) == [expected])
    }

    /// The minimal sweep whose one model has `line` as its last field (line 8), replacing the key `line` sets.
    private func withModelField(_ line: String) -> String {
        let key = line.prefix { $0 != ":" } + ":"
        let fields = ["name: m1", "provider: mock", "model: vlm"].filter { !$0.hasPrefix(key) } + [line]
        return "name: s1\ndataset: {name: siuo}\ntasks: [mcqa]\nmodels:\n"
            + fields.enumerated().map { ($0 == 0 ? "  - " : "    ") + $1 }.joined(separator: "\n")
    }
}
