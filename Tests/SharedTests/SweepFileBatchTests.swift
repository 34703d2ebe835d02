import Foundation
import Shared
import Testing

/// Batch mode in the sweep file: `batch` and its settings at the top level and per entry, the provider
/// limits as defaults and ceilings, `price.batch_discount`, and every bad value named by file, line and field.
@Suite struct SweepFileBatchTests {
    let sweep: SweepFolder

    init() throws {
        sweep = try SweepFolder()
    }

    /// A generation sweep with one model per provider and a judge; `top` is added at the top level and
    /// `entries[name]` as the last fields of that entry (`gpt`, `claude`, `gemini`, `local`, `judge`).
    private func file(top: [String] = [], entries: [String: [String]] = [:]) -> String {
        func entry(_ fields: [String], indent: String) -> String {
            fields.enumerated().map { ($0 == 0 ? indent + "- " : indent + "  ") + $1 }.joined(separator: "\n")
        }
        let models = [
            ("gpt", "openai", "gpt-4o"), ("claude", "anthropic", "claude-sonnet-4-5"), ("gemini", "gemini", "gemini-2.5-flash"),
            ("local", "mock", "vlm"),
        ]
        var lines = ["name: s1", "dataset: {name: siuo}", "tasks: [generation]"] + top + ["models:"]
        for (name, provider, model) in models {
            lines.append(entry(["name: \(name)", "provider: \(provider)", "model: \(model)"] + (entries[name] ?? []), indent: "  "))
        }
        lines += ["judge:", "  name: judge", "  provider: openai", "  model: gpt-4o"] + (entries["judge"] ?? []).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    private func entry(_ definition: SweepDefinition, _ name: String) -> ModelSpec? {
        name == "judge" ? definition.judge : definition.models.first { $0.name == name }
    }

    /// The line of the first line of `text` that starts (after indentation and `- `) with `prefix`.
    private func line(of prefix: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
            $0.drop { $0 == " " || $0 == "-" }.hasPrefix(prefix)
        }.map { $0 + 1 }
    }

    @Test func batchIsOffUnlessAsked() throws {
        let definition = try sweep.parse(file())
        #expect((definition.models + [definition.judge!]).allSatisfy { $0.batch == nil })
        #expect(definition.models.allSatisfy { $0.price == nil })
    }

    @Test func topLevelBatchTurnsEveryEntryOnWithItsProvidersLimits() throws {
        let definition = try sweep.parse(file(top: ["batch: true"]))
        for model in definition.models + [definition.judge!] {
            #expect(model.batch == BatchSettings.defaults(for: model.provider), "\(model.name)")
        }
        // The documented limits, spelt out rather than trusted.
        #expect(
            entry(definition, "gpt")?.batch == BatchSettings(maxRequests: 50_000, maxBytes: 200_000_000, maxWaitSeconds: 60, deadlineSeconds: 86_400))
        #expect(entry(definition, "claude")?.batch?.maxRequests == 100_000 && entry(definition, "claude")?.batch?.maxBytes == 256_000_000)
        #expect(entry(definition, "gemini")?.batch?.maxBytes == 20_000_000)
        #expect(entry(definition, "local")?.batch == BatchSettings.defaults(for: .openai))
    }

    @Test func anEntrysOwnValueWinsOverTheTopLevel() throws {
        let yaml = file(
            top: ["batch: true", "batch_max_wait: 5m", "batch_deadline: 2h", "batch_max_requests: 1000"],
            entries: [
                "gpt": ["batch: false", "batch_max_wait: 10"],
                "claude": ["batch_max_wait: 90s", "batch_max_bytes: 100MB"],
                "gemini": ["batch_deadline: 1h30m", "batch_max_requests: 20"],
                "judge": ["batch_max_bytes: 20MiB"],
            ])
        let definition = try sweep.parse(yaml)
        // batch: false on the entry wins; its own settings are kept for the day it is turned on, and unused.
        #expect(entry(definition, "gpt")?.batch == nil)
        #expect(
            entry(definition, "claude")?.batch
                == BatchSettings(maxRequests: 1000, maxBytes: 100_000_000, maxWaitSeconds: 90, deadlineSeconds: 7200))
        #expect(
            entry(definition, "gemini")?.batch == BatchSettings(maxRequests: 20, maxBytes: 20_000_000, maxWaitSeconds: 300, deadlineSeconds: 5400))
        #expect(
            entry(definition, "local")?.batch == BatchSettings(maxRequests: 1000, maxBytes: 200_000_000, maxWaitSeconds: 300, deadlineSeconds: 7200))
        #expect(
            entry(definition, "judge")?.batch == BatchSettings(maxRequests: 1000, maxBytes: 20_971_520, maxWaitSeconds: 300, deadlineSeconds: 7200))
    }

    @Test func anEntryCanTurnBatchOnAloneJudgeAndFallbackJudgeIncluded() throws {
        let yaml =
            file(top: ["batch: false", "batch_max_wait: 30"], entries: ["claude": ["batch: true"], "judge": ["batch: yes"]])
            + "\nfallback_judge: {name: fallback, provider: anthropic, model: claude-sonnet-4-5, batch: true, batch_deadline: 600}"
        let definition = try sweep.parse(yaml)
        #expect(definition.models.filter { $0.batch != nil }.map(\.name) == ["claude"])
        #expect(entry(definition, "claude")?.batch?.maxWaitSeconds == 30)
        #expect(definition.judge?.batch == BatchSettings(maxRequests: 50_000, maxBytes: 200_000_000, maxWaitSeconds: 30))
        #expect(
            definition.fallbackJudge?.batch == BatchSettings(maxRequests: 100_000, maxBytes: 256_000_000, maxWaitSeconds: 30, deadlineSeconds: 600))
    }

    @Test(arguments: [
        ("1000", 1000), ("200MB", 200_000_000), ("200 mb", 200_000_000), ("20MiB", 20_971_520), ("0.25GB", 250_000_000),
        ("512k", 512_000), ("64KiB", 65_536), ("\"150000000\"", 150_000_000), ("1e6", 1_000_000),
    ])
    func sizesTakeUnits(written: String, bytes: Int) throws {
        let definition = try sweep.parse(file(top: ["batch: true"], entries: ["claude": ["batch_max_bytes: \(written)"]]))
        #expect(entry(definition, "claude")?.batch?.maxBytes == bytes)
    }

    @Test(arguments: [
        ("90", 90.0), ("1.5", 1.5), ("90s", 90), ("15m", 900), ("24h", 86_400), ("1h30m", 5400), ("1h 30m", 5400), ("500ms", 0.5),
        ("2d", 172_800), ("\"45\"", 45),
    ])
    func timesTakeSecondsOrDurations(written: String, seconds: Double) throws {
        let definition = try sweep.parse(file(top: ["batch: true", "batch_max_wait: \(written)", "batch_deadline: \(written)"]))
        #expect(entry(definition, "gpt")?.batch?.maxWaitSeconds == seconds)
        #expect(entry(definition, "gpt")?.batch?.deadlineSeconds == seconds)
    }

    @Test func theBatchDiscountDefaultsToHalfAndCanBeSet() throws {
        let definition = try sweep.parse(
            file(entries: [
                "gpt": ["price: {input_per_mtok: 2.5, output_per_mtok: 10}"],
                "claude": ["price: {input_per_mtok: 3, output_per_mtok: 15, batch_discount: 0}"],
                "gemini": ["price: {input_per_mtok: 1, output_per_mtok: 2, batch_discount: 0.75}"],
            ]))
        #expect(entry(definition, "gpt")?.price == Price(inputPerMTok: 2.5, outputPerMTok: 10, batchDiscount: 0.5))
        #expect(entry(definition, "claude")?.price?.batchDiscount == 0)
        #expect(entry(definition, "gemini")?.price?.batchDiscount == 0.75)
    }

    @Test(arguments: [
        ("batch: \"yes\"", "gpt", "must be true or false"),
        ("batch: 1", "gpt", "must be true or false"),
        ("batch_max_requests: 0", "gpt", "must be greater than 0"),
        ("batch_max_requests: -5", "claude", "must be greater than 0"),
        ("batch_max_requests: 2.5", "gpt", "must be an integer"),
        ("batch_max_requests: lots", "gpt", "must be an integer"),
        ("batch_max_requests: 50001", "gpt", "must be at most 50000 for openai (its documented batch limit)"),
        ("batch_max_requests: 50001", "local", "must be at most 50000 for mock (its documented batch limit)"),
        ("batch_max_requests: 100001", "claude", "must be at most 100000 for anthropic (its documented batch limit)"),
        ("batch_max_requests: 50001", "judge", "must be at most 50000 for openai (its documented batch limit)"),
        ("batch_max_bytes: 0", "gpt", "must be greater than 0"),
        ("batch_max_bytes: 0MB", "gpt", "must be greater than 0"),
        ("batch_max_bytes: 200 parsecs", "gpt", "must be a byte count: an integer, or a size like 200MB or 20MiB"),
        ("batch_max_bytes: 1.5", "gpt", "must be a byte count: an integer, or a size like 200MB or 20MiB"),
        ("batch_max_bytes: [1]", "gpt", "must be a byte count: an integer, or a size like 200MB or 20MiB"),
        ("batch_max_bytes: 21MB", "gemini", "must be at most 20000000 bytes (20 MB) for gemini (its documented batch limit)"),
        ("batch_max_bytes: 201MB", "gpt", "must be at most 200000000 bytes (200 MB) for openai (its documented batch limit)"),
        ("batch_max_bytes: 257MB", "claude", "must be at most 256000000 bytes (256 MB) for anthropic (its documented batch limit)"),
        ("batch_max_wait: 0", "gpt", "must be greater than 0"),
        ("batch_max_wait: -1m", "gpt", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
        ("batch_max_wait: -30", "gpt", "must be greater than 0"),
        ("batch_max_wait: soon", "gpt", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
        ("batch_max_wait: 15 minutes", "gpt", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
        ("batch_max_wait: .inf", "gpt", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
        ("batch_deadline: 0s", "claude", "must be greater than 0"),
        ("batch_deadline: 8d", "claude", "must be at most 7d00h"),
        ("batch_deadline: 24x", "judge", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
        ("price: {input_per_mtok: 1, output_per_mtok: 1, batch_discount: 1}", "gpt", "must be at least 0 and less than 1"),
        ("price: {input_per_mtok: 1, output_per_mtok: 1, batch_discount: -0.1}", "judge", "must be at least 0 and less than 1"),
        ("price: {input_per_mtok: 1, output_per_mtok: 1, batch_discount: half}", "claude", "must be a number"),
    ])
    func badEntryValuesAreRefusedAtTheirLine(field: String, name: String, message: String) {
        // Batch on everywhere, so every value is in use; the settings are checked the same when it is off.
        let text = file(top: ["batch: true"], entries: [name: [field]])
        let key = String(field.prefix { $0 != ":" })
        let path = (name == "judge" ? "judge" : "models[\(["gpt", "claude", "gemini", "local"].firstIndex(of: name)!)]") + "." + key
        let fullPath = key == "price" ? path + ".batch_discount" : path
        #expect(
            sweep.problems(text) == [SweepProblem(file: "sweep.yaml", line: line(of: field, in: text), field: fullPath, message: message)])
    }

    @Test func settingsOnAnEntryWithBatchOffAreStillChecked() {
        let text = file(entries: ["claude": ["batch_max_requests: 0"], "gemini": ["batch: false", "batch_max_bytes: 1GB"]])
        #expect(
            sweep.problems(text).map(\.description) == [
                "sweep.yaml:\(line(of: "batch_max_requests", in: text)!): models[1].batch_max_requests: must be greater than 0",
                "sweep.yaml:\(line(of: "batch_max_bytes", in: text)!): models[2].batch_max_bytes: "
                    + "must be at most 20000000 bytes (20 MB) for gemini (its documented batch limit)",
            ])
    }

    @Test func aTopLevelValueAboveAProvidersLimitIsReportedOnceAtItsLine() {
        // 80,000 lines suit Anthropic but not OpenAI (gpt and the judge), Gemini or the mock; 100 MB is too big for Gemini only.
        let text = file(top: ["batch: true", "batch_max_requests: 80000", "batch_max_bytes: 100MB"])
        // One problem per provider, in entry order (gpt and the judge share one), then by line.
        #expect(
            sweep.problems(text).map(\.description) == [
                "sweep.yaml:5: batch_max_requests: must be at most 50000 for openai (its documented batch limit)",
                "sweep.yaml:5: batch_max_requests: must be at most 50000 for gemini (its documented batch limit)",
                "sweep.yaml:5: batch_max_requests: must be at most 50000 for mock (its documented batch limit)",
                "sweep.yaml:6: batch_max_bytes: must be at most 20000000 bytes (20 MB) for gemini (its documented batch limit)",
            ])
        // Where the entries that cannot take it set their own value or stay live, it is fine.
        let fixed = file(
            top: ["batch_max_requests: 80000"],
            entries: ["claude": ["batch: true"], "gpt": ["batch: true", "batch_max_requests: 50000"]])
        #expect(sweep.problems(fixed).isEmpty)
    }

    @Test func badTopLevelValuesAreRefusedAtTheirLine() {
        for (field, message) in [
            ("batch: maybe", "must be true or false"),
            ("batch_max_requests: 0", "must be greater than 0"),
            ("batch_max_wait: 8d", "must be at most 7d00h"),
            ("batch_deadline: tomorrow", "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)"),
            ("batch_max_bytes: lots", "must be a byte count: an integer, or a size like 200MB or 20MiB"),
        ] {
            let text = file(top: [field])
            let key = String(field.prefix { $0 != ":" })
            #expect(sweep.problems(text) == [SweepProblem(file: "sweep.yaml", line: 4, field: key, message: message)], "\(field)")
        }
        #expect(sweep.problems(file(top: ["batch_max_waits: 5"])).map(\.message) == ["unknown field; did you mean `batch_max_wait`?"])
    }

    @Test func definitionsSentAsJSONFollowTheSameRules() throws {
        var definition = try sweep.parse(file(top: ["batch: true"]))
        #expect(definition.problems().isEmpty)
        definition.models[0].batch?.maxRequests = 60_000
        definition.models[2].batch?.maxBytes = 30_000_000
        definition.judge?.batch?.deadlineSeconds = 0
        definition.models[1].price = Price(inputPerMTok: 1, outputPerMTok: 1, batchDiscount: 1)
        #expect(
            definition.problems() == [
                "models[0].batch_max_requests: must be at most 50000 for openai (its documented batch limit)",
                "models[1].price.batch_discount: must be at least 0 and less than 1",
                "models[2].batch_max_bytes: must be at most 20000000 bytes (20 MB) for gemini (its documented batch limit)",
                "judge.batch_deadline: must be greater than 0",
            ])
    }

    @Test func aStoredDefinitionKeepsItsBatchSettings() throws {
        let definition = try sweep.parse(file(top: ["batch: true", "batch_max_wait: 15m"], entries: ["gpt": ["batch: false"]]))
        let decoded = try WireCoding.decoder().decode(SweepDefinition.self, from: try WireCoding.encoder().encode(definition))
        #expect(decoded == definition)
    }
}

@Suite struct BatchUnitsTests {
    @Test func byteSizesParseAndDescribe() {
        #expect(ByteSize.parse("200MB") == 200_000_000 && ByteSize.parse("20 MiB") == 20_971_520 && ByteSize.parse("7") == 7)
        #expect(ByteSize.parse("2 GiB") == 2_147_483_648 && ByteSize.parse("10b") == 10 && ByteSize.parse("0.5kB") == 500)
        #expect(ByteSize.parse("") == nil && ByteSize.parse("MB") == nil && ByteSize.parse("5 TB") == nil && ByteSize.parse("-5MB") == nil)
        #expect(ByteSize.parse("99999999999999999999GB") == nil)
        #expect(ByteSize.describe(200_000_000) == "200 MB" && ByteSize.describe(20_971_520) == "20 MiB")
        #expect(ByteSize.describe(1_000_000_000) == "1 GB" && ByteSize.describe(1234) == "1234 bytes" && ByteSize.describe(0) == "0 bytes")
    }

    @Test func durationsParseAndFormat() {
        #expect(DurationText.parseSeconds("90") == 90 && DurationText.parseSeconds("90s") == 90 && DurationText.parseSeconds("15m") == 900)
        #expect(
            DurationText.parseSeconds("24h") == 86_400 && DurationText.parseSeconds("1h30m") == 5400 && DurationText.parseSeconds("250ms") == 0.25)
        #expect(DurationText.parseSeconds("1H") == 3600 && DurationText.parseSeconds("-5") == -5)
        #expect(DurationText.parseSeconds("") == nil && DurationText.parseSeconds("h") == nil && DurationText.parseSeconds("5 minutes") == nil)
        #expect(DurationText.parseSeconds("1w") == nil && DurationText.parseSeconds("1.2.3s") == nil && DurationText.parseSeconds("nan") == nil)
        #expect(DurationText.format(seconds: 45.9) == "45s" && DurationText.format(seconds: 725) == "12m05s")
        #expect(DurationText.format(seconds: 11_220) == "3h07m" && DurationText.format(seconds: 187_200) == "2d04h")
        #expect(DurationText.format(seconds: -3) == "0s")
    }
}
