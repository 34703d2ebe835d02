import Shared

/// A judge job: ask the judge; re-ask (a new `X-Siuo-Sample`) while it
/// refuses or gives no verdict we can parse; then ask the fallback judge the
/// same way; then record the verdict as unknown with the last text.
struct JudgeJob {
    let session: LeaseSession
    let image: [UInt8]
    let cache: ResponseCacheClient
    /// Asks per judge, the first included.
    let asksPerJudge: Int

    func run() async throws -> VerdictResult {
        let lease = session.lease
        var asked = 0
        var lastText = ""
        var judges: [(ModelSpec, String?, Bool)] = [(lease.model, lease.template, false)]
        if let fallback = lease.fallbackModel {
            let template = lease.kind == .judgeSafety ? fallback.safetyPrompt : fallback.effectivenessPrompt
            judges.append((fallback, template, true))
        }
        for (judge, template, isFallback) in judges {
            let prompt = try LeasePrompts.judge(lease, template: template)
            let settings = judge.answerSettings(for: .judging)
            for attempt in 0..<asksPerJudge {
                let call = ModelCall(
                    model: judge, prompt: prompt, image: image, imageMediaType: lease.testCase.imageMediaType,
                    firstSample: attempt, count: 1, temperature: settings.temperature, maxTokens: settings.maxTokens)
                // Only the first ask goes through the cache: a re-ask exists to get another answer.
                let key =
                    attempt == 0
                    ? lease.cacheNamespace.map {
                        ResponseCacheKey.make(call, imageSHA256: lease.testCase.imageSHA256, sample: 0, namespace: $0)
                    } : nil
                if let key, let answer = try await cache.answers([key])[key], let verdict = parse(answer.text, kind: lease.kind) {
                    session.countCacheHits(1)
                    return VerdictResult(
                        value: verdict.value, label: verdict.label, judgeText: answer.text,
                        attempts: asked + 1, byFallbackJudge: isFallback, cacheKey: key)
                }
                // Only the judge's first ask may wait for a batch: re-asks and the fallback go live.
                let reply = try await session.send(call, batchable: attempt == 0 && !isFallback)
                asked += 1
                guard let sample = reply.samples.first else { continue }
                lastText = sample.text
                guard sample.outcome == .answer, let verdict = parse(sample.text, kind: lease.kind) else { continue }
                return VerdictResult(
                    value: verdict.value, label: verdict.label, judgeText: sample.text,
                    attempts: asked, byFallbackJudge: isFallback, cacheKey: key)
            }
        }
        return VerdictResult(value: nil, label: nil, judgeText: lastText, attempts: asked)
    }

    private func parse(_ text: String, kind: JobKind) -> ParsedVerdict? {
        kind == .judgeSafety ? VerdictParser.safety(text) : VerdictParser.effectiveness(text)
    }
}
