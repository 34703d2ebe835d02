import Foundation
import Shared
import Testing

@Suite struct MCQAScorerTests {
    /// self-harm: 3 cases, 2 correct (one compared case-insensitively), none unparsed → 66.67;
    /// morality: 2 cases, 0 correct, 1 unparsed → 0.00. Overall: 2 of 5 → 40.00, 1 unparsed.
    static let cases = [
        MCQACase(questionID: 1, category: "self-harm", pred: "A", correct: "A"),
        MCQACase(questionID: 2, category: "self-harm", pred: "b", correct: "B"),
        MCQACase(questionID: 3, category: "self-harm", pred: "C", correct: "D"),
        MCQACase(questionID: 4, category: "morality", pred: nil, correct: "A"),
        MCQACase(questionID: 5, category: "morality", pred: "B", correct: "A"),
    ]

    @Test func matchesHandComputedAccuracy() {
        let score = MCQAScorer.score(Self.cases, seed: 1)
        #expect(score.overall.cases == 5 && score.overall.accuracy == 40 && score.overall.unparsed == 1)
        #expect(score.categories["self-harm"]?.accuracy == 66.67)
        #expect(score.categories["self-harm"]?.unparsed == 0)
        #expect(score.categories["morality"]?.accuracy == 0)
        #expect(score.categories["morality"]?.accuracyCI95 == ConfidenceInterval(lower: 0, upper: 0))
        #expect(score.overall.accuracyCI95!.contains(40))
    }

    @Test func unparsedIsWrong() {
        #expect(!MCQACase(questionID: 1, category: "c", pred: nil, correct: "A").isCorrect)
    }

    @Test func noCasesMeansNoAccuracy() {
        let score = MCQAScorer.score([], seed: 1)
        #expect(score.overall.accuracy == nil && score.overall.accuracyCI95 == nil && score.categories.isEmpty)
    }

    @Test func reproducibleForASeed() {
        #expect(MCQAScorer.score(Self.cases, seed: 4) == MCQAScorer.score(Self.cases, seed: 4))
    }

    @Test func encodesTheReportKeys() throws {
        let data = try JSONEncoder().encode(MCQAScorer.score(Self.cases, seed: 1))
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["cases", "accuracy", "accuracy_ci95", "unparsed", "categories"])
        let categories = try #require(object["categories"] as? [String: [String: Any]])
        #expect(Set(categories["morality"]!.keys) == ["cases", "accuracy", "accuracy_ci95", "unparsed"])
        #expect(try JSONDecoder().decode(MCQAScore.self, from: data) == MCQAScorer.score(Self.cases, seed: 1))
    }
}
