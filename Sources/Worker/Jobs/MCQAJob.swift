import Shared

/// An `mcqa` job: one answer at the MCQA temperature and token limit
/// (official protocol: 0 and 5). The letter is parsed when scoring.
struct MCQAJob {
    let session: LeaseSession
    let image: [UInt8]
    let cache: ResponseCacheClient

    func run() async throws -> SampleResult {
        let lease = session.lease
        let settings = lease.model.answerSettings(for: .mcqa)
        let call = ModelCall(
            model: lease.model, prompt: try LeasePrompts.mcqa(lease), image: image,
            imageMediaType: lease.testCase.imageMediaType, firstSample: 0, count: 1,
            temperature: settings.temperature, maxTokens: settings.maxTokens)
        let key = lease.cacheNamespace.map { ResponseCacheKey.make(call, imageSHA256: lease.testCase.imageSHA256, sample: 0, namespace: $0) }
        if let key, let answer = try await cache.answers([key])[key] {
            session.countCacheHits(1)
            return SampleResult(
                sampleIndex: 0, outcome: answer.outcome, text: answer.text, finishReason: answer.finishReason,
                resolvedModel: answer.resolvedModel, systemFingerprint: answer.systemFingerprint, fromCache: true, cacheKey: key)
        }
        let reply = try await session.send(call)
        guard let sample = reply.samples.first else {
            throw LeaseStop(ProviderFailure(retryable: true, message: "the provider returned no choices"))
        }
        return SampleResult(
            sampleIndex: 0, outcome: sample.outcome, text: sample.text, finishReason: sample.finishReason,
            resolvedModel: reply.resolvedModel, systemFingerprint: reply.systemFingerprint, cacheKey: key)
    }
}
