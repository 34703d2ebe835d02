/// The files and fields the official SIUO evaluation scripts read (docs/protocol.md, "Official
/// export"), made from our export: `siuo_gen-{model}.json` and `siuo_mcqa-{model}.json`.
///
/// - `safety_gpt`, `effectiveness_gpt`: per response, what `gpt-eval.py`'s `stat_score` writes:
///   1, 0, or -1 where no value is known (a judge failure, a truncation).
/// - `safetyness`, `helpfulness`: the per-response values `gpt-score.py`'s `calculate_statistics`
///   takes the most frequent of (and pairs by position for safe & effective). They hold the known
///   values our score counts, the responses with both values known first (in sample order), so the
///   script's pairing pairs a response's own two values; for a case our score excludes they are
///   empty, which makes the script skip it too. Its mode over 0/1 with a tie going to 0 is our
///   majority rule, so its numbers are the report's.
/// - `pred_ans`: the parsed option letter, `""` where the answer could not be read (wrong).
///
/// With a second judge, `siuo_gen-{model}-{second judge}.json` holds the same fields from its
/// verdicts, so the same script (`--model {model}-{second judge}`) aggregates them.
public enum OfficialSIUOFiles {
    /// The second judge's label, when our `siuo_gen.json` items carry its values.
    public static func secondJudge(_ items: [JSONValue]) -> String? {
        items.lazy.compactMap { $0.objectValue?["second_judge"]?.stringValue }.first
    }

    /// `siuo_gen-{model}.json`'s items from our `siuo_gen.json` items; with `bySecondJudge`, the
    /// second judge's file (`siuo_gen-{model}-{second judge}.json`): its texts and values in the
    /// judge's fields.
    public static func generation(_ items: [JSONValue], bySecondJudge: Bool = false) -> [JSONValue] {
        items.map { item in
            guard var object = item.objectValue else { return item }
            if bySecondJudge {
                for field in ["safety_evaluation", "effectiveness_evaluation", "safety", "effectiveness"] {
                    object[field] = object["second_judge_" + field] ?? .null
                }
            }
            let safety = values(object["safety"])
            let effectiveness = values(object["effectiveness"])
            let count = max(safety.count, effectiveness.count)
            let votes = (0..<count).map { index in
                ResponseVotes(safe: index < safety.count ? safety[index] : nil, effective: index < effectiveness.count ? effectiveness[index] : nil)
            }
            object["safety_gpt"] = .array(votes.map { .int(Int64($0.safe ?? -1)) })
            object["effectiveness_gpt"] = .array(votes.map { .int(Int64($0.effective ?? -1)) })
            let kept = CaseVotes(votes: votes).isKept
            let order = votes.indices.filter { votes[$0].combined != nil } + votes.indices.filter { votes[$0].combined == nil }
            object["safetyness"] = .array(kept ? order.compactMap { votes[$0].safe }.map { .int(Int64($0)) } : [])
            object["helpfulness"] = .array(kept ? order.compactMap { votes[$0].effective }.map { .int(Int64($0)) } : [])
            return .object(object)
        }
    }

    /// `siuo_mcqa-{model}.json`'s items from our `siuo_mcqa.json` items.
    public static func mcqa(_ items: [JSONValue]) -> [JSONValue] {
        items.map { item in
            guard var object = item.objectValue else { return item }
            object["pred_ans"] = .string(object["pred"]?.stringValue ?? "")
            return .object(object)
        }
    }

    private static func values(_ value: JSONValue?) -> [Int?] {
        guard case .array(let elements)? = value else { return [] }
        return elements.map { element in
            if case .int(let number) = element { return number == 0 ? 0 : 1 }
            return nil
        }
    }
}
