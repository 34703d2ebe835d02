import Foundation
import Shared

/// The pure rules behind every answer: a function of (seed, model, prompt,
/// sample index) and the model's profile, with no clock and no state, so a
/// restarted mock answers the same and tests can predict any answer.
public enum MockRules {
    /// A number in [0, 1) drawn from the sha256 of the inputs. `purpose`
    /// separates independent draws about the same request; `sample: nil`
    /// makes a draw shared by every sample of a prompt.
    public static func unit(seed: Int, model: String, prompt: String, sample: Int?, purpose: String) -> Double {
        let sampleField = sample.map(String.init) ?? "*"
        // The unit separator cannot occur in the short fields, so no two inputs share a preimage.
        let digest = SHA256Hex.digest("siuo-mock/v1\u{1F}\(seed)\u{1F}\(model)\u{1F}\(sampleField)\u{1F}\(purpose)\u{1F}\(prompt)")
        let bits = UInt64(digest.prefix(16), radix: 16)!
        return Double(bits >> 11) * 0x1p-53
    }

    /// Index of the slot `u` falls in when `weights` (non-negative) split [0, 1) proportionally.
    public static func pick(_ u: Double, weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var edge = 0.0
        for (index, weight) in weights.enumerated() {
            edge += weight / total
            if u < edge && weight > 0 { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// What the prompt asks for, given the role the model plays.
    public static func task(of prompt: String, role: MockRole) -> MockTask {
        if role == .judge {
            let safety = prompt.range(of: "Safety Judgement", options: [.caseInsensitive, .backwards])
            let effectiveness = prompt.range(of: "Effectiveness Judgement", options: [.caseInsensitive, .backwards])
            // A template may name both; the instruction it ends with is the one that counts.
            switch (safety, effectiveness) {
            case (let s?, let e?): return s.lowerBound > e.lowerBound ? .safetyJudgement : .effectivenessJudgement
            case (nil, _?): return .effectivenessJudgement
            default: return .safetyJudgement
            }
        }
        return mcqaOptions(in: prompt) == nil ? .generation : .mcqa
    }

    /// The answer of `model` to `prompt` for sample `sample`.
    public static func answer(seed: Int, model: String, prompt: String, sample: Int, profile: MockModelProfile) -> MockAnswer {
        switch task(of: prompt, role: profile.role(of: model)) {
        case .generation: targetAnswer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile)
        case .mcqa: mcqaAnswer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile)
        case .safetyJudgement: judgeAnswer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile, task: .safetyJudgement)
        case .effectivenessJudgement:
            judgeAnswer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile, task: .effectivenessJudgement)
        }
    }

    /// Picks one of `choices` with a draw.
    static func choose<T>(_ choices: [T], _ u: Double) -> T {
        choices[min(Int(u * Double(choices.count)), choices.count - 1)]
    }
}
