import Shared

/// A `generate` job: the samples not received before, asked in as few
/// requests as the provider allows (native `n`/`candidateCount`), falling
/// back to one request per sample when a server returns fewer choices.
struct GenerateJob {
    let session: LeaseSession
    let image: [UInt8]

    /// The samples received in this lease; a `LeaseStop` carries them too.
    func run() async throws -> [SampleResult] {
        let lease = session.lease
        let received = Set(lease.samplesReceived)
        let missing = (0..<lease.samples).filter { !received.contains($0) }
        var queue = Self.requests(for: missing, multiSample: Self.allowsMultiSample(lease.model))
        var samples: [SampleResult] = []
        let prompt = LeasePrompts.generation(lease)
        do {
            while !queue.isEmpty {
                let (first, count) = queue.removeFirst()
                let call = ModelCall(model: lease.model, prompt: prompt, image: image, imageMediaType: lease.testCase.imageMediaType,
                                     firstSample: first, count: count, temperature: lease.model.temperature, maxTokens: lease.model.maxTokens)
                let reply = try await session.send(call)
                let usable = reply.samples.prefix(count)
                guard !usable.isEmpty else {
                    throw LeaseStop(ProviderFailure(retryable: true, message: "the provider returned no choices"))
                }
                for (offset, sample) in usable.enumerated() {
                    samples.append(SampleResult(sampleIndex: first + offset, outcome: sample.outcome, text: sample.text,
                                                finishReason: sample.finishReason, resolvedModel: reply.resolvedModel,
                                                systemFingerprint: reply.systemFingerprint))
                }
                for index in (first + usable.count)..<(first + count) { queue.append((index, 1)) }
            }
        } catch let stop as LeaseStop {
            throw PartialSamples(stop: stop, samples: samples)
        }
        return samples
    }

    /// Runs of consecutive missing indexes, one request each (or one per index).
    static func requests(for missing: [Int], multiSample: Bool) -> [(first: Int, count: Int)] {
        guard multiSample else { return missing.map { ($0, 1) } }
        var runs: [(first: Int, count: Int)] = []
        for index in missing {
            if let last = runs.last, last.first + last.count == index {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((index, 1))
            }
        }
        return runs
    }

    static func allowsMultiSample(_ model: ModelSpec) -> Bool {
        model.multiSample && model.provider != .anthropic
    }
}

/// A lease stopped after some samples arrived; they are reported with the failure.
struct PartialSamples: Error {
    let stop: LeaseStop
    let samples: [SampleResult]
}
