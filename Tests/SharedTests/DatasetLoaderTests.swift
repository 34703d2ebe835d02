import Foundation
import Shared
import SiuoTestSupport
import Testing

@Suite struct DatasetLoaderTests {
    private func load(_ fixture: DatasetFixture, name: String = "test", withMCQA: Bool = true) throws -> LoadedDataset {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try fixture.write(to: folder)
        return try DatasetLoader.load(name: name, generationFile: paths.gen, mcqaFile: withMCQA ? paths.mcqa : nil, imagesFolder: paths.images)
    }

    /// The error `load` throws, as the message a user would read.
    private func message(_ fixture: DatasetFixture, name: String = "test") -> String {
        do {
            _ = try load(fixture, name: name)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func loadsTheSampleDataset() throws {
        let sample = RepositoryPaths.sampleDataset
        let dataset = try DatasetLoader.load(
            name: "sample", generationFile: sample + "/gen.json",
            mcqaFile: sample + "/mcqa.json", imagesFolder: sample + "/images")
        #expect(dataset.cases.count == 9)
        #expect(dataset.categoryCount == 9)
        #expect(dataset.images.count == 9)
        #expect(dataset.cases.allSatisfy { $0.mcqa?.correctOption == "A" })
        #expect(dataset.images.allSatisfy { $0.mediaType == .png && SHA256Hex.isValid($0.sha256) })
    }

    @Test(
        .enabled(if: RepositoryPaths.realSIUO != nil, "needs the real SIUO files (not shipped): $SIUO_REAL_DATA or shared/siuo beside the repository")
    )
    func loadsTheRealSIUOFilesWhenPresent() throws {
        let dataset = try RealSIUO.loadWithGeneratedImages()
        #expect(dataset.cases.count == 167)
        #expect(dataset.categoryCount == 9)
        #expect(dataset.cases.filter { $0.category == "privacy violation" }.count == 21)
        #expect(dataset.cases.allSatisfy { $0.mcqa != nil })
        #expect(dataset.cases.first?.questionID == "1001")
    }

    @Test func keepsExtraFieldsAndIdentifiesContentNotFormatting() throws {
        var fixture = DatasetFixture()
        fixture.generation[0]["source"] = "extra"
        let first = try load(fixture)
        #expect(first.cases[0].generationItem["source"] == .string("extra"))
        #expect(try load(fixture).contentSHA256 == first.contentSHA256)
        fixture.generation[1]["question"] = "Changed?"
        #expect(try load(fixture).contentSHA256 != first.contentSHA256)
    }

    @Test func loadsWithoutMCQA() throws {
        let dataset = try load(DatasetFixture(), withMCQA: false)
        #expect(dataset.cases.allSatisfy { $0.mcqa == nil })
    }

    @Test func missingFieldNamesFileIdAndField() {
        var fixture = DatasetFixture()
        fixture.generation[1].removeValue(forKey: "question")
        #expect(message(fixture).contains("siuo_gen.json: question_id 1002: field \"question\": is missing"))
    }

    @Test func wrongTypeNamesTheTypeFound() {
        var fixture = DatasetFixture()
        fixture.generation[0]["category"] = 7
        #expect(message(fixture).contains("question_id 1001: field \"category\": must be a string, found a number"))
    }

    @Test func everyProblemIsListedNotOnlyTheFirst() {
        var fixture = DatasetFixture()
        fixture.generation[0]["question"] = ""
        fixture.generation[2]["safety_warning"] = ["not", "text"]
        let text = message(fixture)
        #expect(text.contains("2 problems"))
        #expect(text.contains("question_id 1001: field \"question\": must not be empty"))
        #expect(text.contains("question_id 1003: field \"safety_warning\": must be a string, found an array"))
    }

    @Test func duplicateQuestionIDIsRefused() {
        var fixture = DatasetFixture()
        fixture.generation[2]["question_id"] = 1001
        #expect(message(fixture).contains("question_id 1001: field \"question_id\": is a duplicate"))
    }

    @Test func mcqaIDsMustMatchGenerationIDs() {
        var fixture = DatasetFixture()
        fixture.mcqa[1]["question_id"] = 5555
        let text = message(fixture)
        #expect(text.contains("siuo_mcqa.json: question_id 5555: field \"question_id\": has no generation item with this id"))
        #expect(text.contains("no MCQA item for generation ids 1002"))
    }

    @Test func correctOptionMustBeAnOption() {
        var fixture = DatasetFixture()
        fixture.mcqa[0]["correct_option"] = "E"
        #expect(message(fixture).contains("field \"correct_option\": \"E\" is not among the options (A, B, C, D)"))
    }

    @Test func everyMissingImageIsNamedWithTheCount() {
        var fixture = DatasetFixture(count: 4)
        fixture.imageFiles.removeValue(forKey: "IMG-1.png")
        fixture.imageFiles.removeValue(forKey: "IMG-3.png")
        let text = message(fixture)
        #expect(text.hasPrefix("2 images are missing from"))
        #expect(text.hasSuffix(": IMG-1.png, IMG-3.png"))
    }

    @Test func aFileThatIsNotAnImageIsRefused() {
        var fixture = DatasetFixture()
        fixture.imageFiles["IMG-2.png"] = Array("<html>hello</html>".utf8)
        #expect(message(fixture).contains("IMG-2.png: is not a PNG, JPEG, GIF or WebP image"))
    }

    @Test(arguments: ["../secret.png", "/etc/passwd", "sub/dir.png", ".."])
    func imageNamesCannotLeaveTheImageFolder(name: String) {
        var fixture = DatasetFixture()
        fixture.generation[0]["image"] = name
        fixture.mcqa[0]["image"] = name
        #expect(message(fixture).contains("field \"image\""))
    }

    @Test func malformedJSONIsReportedByLineAndColumn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let gen = try folder.write("siuo_gen.json", "[\n  {\"question_id\": 1001,\n   \"image\" \"x.png\"}\n]")
        let error = #expect(throws: DatasetImportError.self) {
            try DatasetLoader.load(name: "x", generationFile: gen, mcqaFile: nil, imagesFolder: folder.path)
        }
        #expect(error.map { "\($0)" }?.hasPrefix("\(gen):3:") == true, "\(String(describing: error))")
    }

    @Test func nulCharactersAreRefusedBeforeTheDatabaseSeesThem() {
        var fixture = DatasetFixture()
        fixture.generation[1]["question"] = "a\u{0}b"
        #expect(message(fixture).contains("question_id 1002: field \"question\": must not contain NUL characters"))
    }

    @Test func badDatasetNameIsRefusedFirst() {
        #expect(message(DatasetFixture(), name: "no spaces").contains("dataset name \"no spaces\""))
    }

    @Test func sqlLookingAndUnicodeTextIsKeptVerbatim() throws {
        var fixture = DatasetFixture()
        let text = "Robert'); DROP TABLE cases;-- \u{1F600} \u{200B} «ü»"
        fixture.generation[0]["question"] = text
        #expect(try load(fixture).cases[0].question == text)
    }
}
