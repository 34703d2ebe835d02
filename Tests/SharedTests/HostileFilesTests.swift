import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Hostile and broken files (issue 7): each is refused with a message that
/// names the file and the line or field, before anything could be written.
@Suite struct HostileFilesTests {
    let sweep: SweepFolder

    init() throws {
        sweep = try SweepFolder()
    }

    // MARK: - Sweep files

    /// The problems of `yaml`, rendered as the user reads them.
    private func refusal(_ yaml: String) -> String {
        do {
            _ = try sweep.parse(yaml)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        // Cut mid-flow-mapping, mid-quoted-string, mid-list, after a key.
        ("name: s1\ndataset: {name: siuo\n", 3),
        ("name: \"s1\ndataset: {name: siuo}\n", 3),
        ("name: s1\ndataset: {name: siuo}\nmodels: [{name: m1, provider: mock\n", 4),
        ("name: s1\ndataset: {name: siuo}\n  models:\n - x\n", 3),
        ("name: s1\n\tdataset: {name: siuo}\n", 2),
    ])
    func truncatedOrMalformedYAMLNamesFileAndLine(yaml: String, line: Int) {
        let text = refusal(yaml)
        #expect(text.hasPrefix("sweep.yaml:\(line)"), "\(text)")
        #expect(text.contains("malformed YAML"))
    }

    @Test func anEmptyOrScalarFileIsRefused() {
        #expect(refusal("").hasPrefix("sweep.yaml:1: the file is empty"))
        #expect(refusal("just a string").contains("the top level must be a mapping"))
        #expect(refusal("- a\n- b\n").contains("the top level must be a mapping"))
    }

    @Test(arguments: [
        ("samples: \"x\"", "sweep.yaml:4: samples: must be an integer"),
        ("samples: -1", "sweep.yaml:4: samples: must be greater than 0"),
        ("samples: 0", "sweep.yaml:4: samples: must be greater than 0"),
        ("samples: 1.5", "sweep.yaml:4: samples: must be an integer"),
        ("samples: 99999999999999999999999", "sweep.yaml:4: samples: must be an integer"),
        ("samples: [3]", "sweep.yaml:4: samples: must be an integer"),
        ("lease_ttl_s: 0", "sweep.yaml:4: lease_ttl_s: must be greater than 0"),
        ("max_attempts: 0", "sweep.yaml:4: max_attempts: must be greater than 0"),
        ("max_attempts: -5", "sweep.yaml:4: max_attempts: must be greater than 0"),
        ("budget_usd: .nan", "sweep.yaml:4: budget_usd: must be a number"),
        ("budget_usd: -.inf", "sweep.yaml:4: budget_usd: must be a number"),
        ("seed: {a: 1}", "sweep.yaml:4: seed: must be an integer"),
        ("cache: \"yes please\"", "sweep.yaml:4: cache: must be true or false"),
        ("categories: self-harm", "sweep.yaml:4: categories: must be a list"),
        ("categories: {self-harm: true}", "sweep.yaml:4: categories: must be a list"),
    ])
    func wrongTypesAndAbsurdTopLevelValuesNameFieldAndLine(line: String, expected: String) {
        // minimalSweep's line 4 is `models:`: the bad line goes before it.
        let yaml = minimalSweep.replacingOccurrences(of: "models:", with: line + "\nmodels:")
        #expect(refusal(yaml).contains(expected), "\(refusal(yaml))")
    }

    @Test(arguments: [
        ("rpm: 0", "models[0].rpm: must be greater than 0"),
        ("rpm: -1", "models[0].rpm: must be greater than 0"),
        ("tpm: 0", "models[0].tpm: must be greater than 0"),
        ("burst: 0.5", "models[0].burst: must be at least 1"),
        ("max_in_flight: 0", "models[0].max_in_flight: must be greater than 0"),
        ("max_tokens: -1", "models[0].max_tokens: must be greater than 0"),
        ("temperature: 1e9", "models[0].temperature: must be between 0 and 2"),
        ("rpm: \"fast\"", "models[0].rpm: must be a number"),
        ("params: [1, 2]", "models[0].params: must be a mapping"),
        ("price: 3", "models[0].price: must be a mapping"),
        ("base_url: file:///etc/passwd", "models[0].base_url: must be an http:// or https:// URL"),
        ("api_key_env: \"$(rm -rf /)\"", "models[0].api_key_env: must be an environment variable name"),
    ])
    func absurdModelLimitsNameFieldAndLine(line: String, expected: String) {
        let yaml = minimalSweep + "\n    " + line
        let text = refusal(yaml)
        #expect(text.hasPrefix("sweep.yaml:8: "), "\(text)")
        #expect(text.contains(expected), "\(text)")
    }

    @Test func arraysWhereMappingsGoAndMappingsWhereListsGo() {
        #expect(refusal("name: s1\ndataset: [siuo]\ntasks: [mcqa]\nmodels: []\n").contains("sweep.yaml:2: dataset: must be a mapping"))
        let mappingModels = "name: s1\ndataset: {name: siuo}\ntasks: [mcqa]\nmodels: {name: m1, provider: mock, model: vlm}\n"
        #expect(refusal(mappingModels).contains("sweep.yaml:4: models: must be a list"))
        let scalarModel = "name: s1\ndataset: {name: siuo}\ntasks: [mcqa]\nmodels: [m1]\n"
        #expect(refusal(scalarModel).contains("sweep.yaml:4: models[0]: must be a mapping"))
    }

    @Test func namesThatCouldEscapeAURLOrFolderAreRefused() {
        for name in ["../etc", "a/b", "a%2Fb", "", String(repeating: "x", count: 65), "é"] {
            let yaml = minimalSweep.replacingOccurrences(of: "name: s1", with: "name: \"\(name)\"")
            #expect(refusal(yaml).contains("sweep.yaml:1: name: "), "\(name): \(refusal(yaml))")
        }
    }

    @Test func aNULCharacterInAnyTextIsRefusedWithItsField() {
        let model = minimalSweep.replacingOccurrences(of: "model: vlm", with: "model: \"vlm\\0x\"")
        #expect(refusal(model).contains("sweep.yaml:7: models[0].model: must not contain NUL characters"), "\(refusal(model))")
        let namespace = minimalSweep.replacingOccurrences(of: "models:", with: "cache_namespace: \"a\\0b\"\nmodels:")
        #expect(refusal(namespace).contains("sweep.yaml:4: cache_namespace: must not contain NUL characters"), "\(refusal(namespace))")
        let params = minimalSweep + "\n    params: {stop: \"\\0\"}"
        #expect(refusal(params).contains("models[0].params.stop: must not contain NUL characters"), "\(refusal(params))")
    }

    @Test func aTemplateThatIsAFolderOrBinaryIsRefused() throws {
        _ = try sweep.folder.write("prompts/binary.txt", bytes: [0xff, 0xfe, 0x00, 0x41])
        let yaml = minimalSweep.replacingOccurrences(of: "models:", with: "prompts: {mcqa: prompts/binary.txt, generation: prompts}\nmodels:")
        let text = refusal(yaml)
        #expect(text.contains("prompts.mcqa: template file") && text.contains("cannot be read as UTF-8 text"), "\(text)")
        #expect(text.contains("prompts.generation: template file") && text.contains("does not exist"), "\(text)")
    }

    @Test func aSweepFileThatIsNotUTF8IsRefused() throws {
        let path = try sweep.folder.write("latin1.yaml", bytes: Array("name: caf".utf8) + [0xe9, 0x0a])
        let error = #expect(throws: SweepFileError.self) { try SweepFileParser.load(path: path) }
        #expect(error?.description == "\(path): is not UTF-8 text")
    }

    // MARK: - Dataset files

    private func datasetRefusal(_ fixture: DatasetFixture, corrupt: ((String, String) throws -> Void)? = nil) -> String {
        do {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let paths = try fixture.write(to: folder)
            try corrupt?(paths.gen, paths.images)
            _ = try DatasetLoader.load(name: "hostile", generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: ["../etc/passwd", "/etc/passwd", "..", ".", "..\\..\\boot.ini", "images/../../x.png", "a\u{7}.png", "sub/IMG-0.png"])
    func imageNamesThatAreNotPlainFileNamesAreRefused(name: String) {
        var fixture = DatasetFixture()
        fixture.generation[0]["image"] = name
        fixture.mcqa[0]["image"] = name
        let text = datasetRefusal(fixture)
        #expect(text.contains("question_id 1001: field \"image\""), "\(name): \(text)")
    }

    @Test func filesThatAreNotImagesAreRefused() {
        var fixture = DatasetFixture()
        fixture.imageFiles["IMG-0.png"] = Array("#!/bin/sh\nrm -rf /\n".utf8)
        fixture.imageFiles["IMG-1.png"] = [0x89, 0x50, 0x4e]  // a PNG signature cut short
        fixture.imageFiles["IMG-2.png"] = []
        let text = datasetRefusal(fixture)
        for index in 0..<3 { #expect(text.contains("IMG-\(index).png: is not a PNG, JPEG, GIF or WebP image"), "\(text)") }
    }

    @Test func aFolderWhereAnImageShouldBeIsRefused() {
        let text = datasetRefusal(DatasetFixture()) { _, images in
            try FileManager.default.removeItem(atPath: images + "/IMG-1.png")
            try FileManager.default.createDirectory(atPath: images + "/IMG-1.png", withIntermediateDirectories: false)
        }
        #expect(text.contains("IMG-1.png"), "\(text)")
    }

    @Test func aTruncatedDatasetFileNamesFileLineAndColumn() {
        var genPath = ""
        let text = datasetRefusal(DatasetFixture()) { gen, _ in
            genPath = gen
            let data = try Data(contentsOf: URL(fileURLWithPath: gen))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: gen))
        }
        #expect(text.hasPrefix(genPath + ":"), "\(text)")
        #expect(text.split(separator: ":").count >= 3)
    }

    @Test func aDatasetFileOfTheWrongShapeIsRefused() {
        let object = datasetRefusal(DatasetFixture()) { gen, _ in try "{\"items\": []}".write(toFile: gen, atomically: true, encoding: .utf8) }
        #expect(object.contains("must hold a JSON array of items, found an object"), "\(object)")
        let scalars = datasetRefusal(DatasetFixture()) { gen, _ in try "[1, \"two\", null]".write(toFile: gen, atomically: true, encoding: .utf8) }
        #expect(
            scalars.contains("item 1 must be an object, found a number") && scalars.contains("item 3 must be an object, found null"), "\(scalars)")
    }

    @Test func aNULAnywhereInAnItemIsRefusedWithItsField() {
        var options = DatasetFixture()
        options.mcqa[1]["options"] = ["A": "Safe", "B": "Un\u{0}safe"]
        #expect(
            datasetRefusal(options).contains("question_id 1002: field \"options.B\": must not contain NUL characters"), "\(datasetRefusal(options))")
        var extra = DatasetFixture()
        extra.generation[2]["note"] = ["deep": ["x\u{0}"]]
        #expect(
            datasetRefusal(extra).contains("question_id 1003: field \"note.deep[0]\": must not contain NUL characters"), "\(datasetRefusal(extra))")
        var id = DatasetFixture()
        id.generation[0]["question_id"] = "10\u{0}01"
        #expect(datasetRefusal(id).contains("question_id"), "\(datasetRefusal(id))")
        #expect(datasetRefusal(id).contains("must not contain NUL characters"), "\(datasetRefusal(id))")
    }

    @Test func hostileTextIsKeptVerbatim() throws {
        let texts = HostileText.all
        var fixture = DatasetFixture(count: texts.count)
        for (index, text) in texts.enumerated() {
            fixture.generation[index]["question"] = text
            fixture.generation[index]["safety_warning"] = text
            fixture.mcqa[index]["question"] = text
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try fixture.write(to: folder)
        let dataset = try DatasetLoader.load(name: "hostile", generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
        #expect(dataset.cases.map(\.question) == texts)
        #expect(dataset.cases.map(\.safetyWarning) == texts)
    }
}
