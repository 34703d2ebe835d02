import Shared

/// A `generate` job: the samples not received before, asked in as few
/// requests as the provider allows (native `n`/`candidateCount`), falling
/// back to one request per sample when a server returns fewer choices.
struct GenerateJob {
    let session: LeaseSession
    let image: [UInt8]
    let cache: ResponseCacheClient

    /// The samples received in this lease; a `LeaseStop` carries them too.
    func run() async throws -> [SampleResult] {
        let lease = session.lease
        let received = Set(lease.samplesReceived)
        // A lease is read as sent; a count below one (no coordinator sends it) asks nothing rather than trapping.
        var missing = (0..<max(0, lease.samples)).filter { !received.contains($0) }
        let settings = lease.model.answerSettings(for: .generation)
        let base = ModelCall(
            model: lease.model, prompt: try LeasePrompts.generation(lease), image: image,
            imageMediaType: lease.testCase.imageMediaType, firstSample: 0, count: 1,
            temperature: settings.temperature, maxTokens: settings.maxTokens)
        func key(_ sample: Int) -> String? {
            lease.cacheNamespace.map { ResponseCacheKey.make(base, imageSHA256: lease.testCase.imageSHA256, sample: sample, namespace: $0) }
        }
        var samples: [SampleResult] = []
        if lease.cacheNamespace != nil {
            let cached = try await cache.answers(missing.compactMap(key))
            for index in missing {
                guard let key = key(index), let answer = cached[key] else { continue }
                samples.append(
                    SampleResult(
                        sampleIndex: index, outcome: answer.outcome, text: answer.text, finishReason: answer.finishReason,
                        resolvedModel: answer.resolvedModel, systemFingerprint: answer.systemFingerprint,
                        fromCache: true, cacheKey: key))
            }
            session.countCacheHits(samples.count)
            missing.removeAll { index in samples.contains { $0.sampleIndex == index } }
        }
        var queue = Self.requests(for: missing, multiSample: Self.allowsMultiSample(lease.model))
        // Batch lane: calls with no reply wait for a batch, and an errored
        // reply does not stop the others from being read (they are paid for).
        var deferred: [DeferredCall] = []
        var lineFailure: LeaseStop?
        do {
            while !queue.isEmpty {
                let (first, count) = queue.removeFirst()
                var call = base
                call.firstSample = first
                call.count = count
                let reply: ProviderReply
                do {
                    reply = try await session.send(call)
                } catch let wait as Deferred {
                    deferred += wait.calls
                    continue
                } catch let failed as BatchLineFailed {
                    lineFailure = lineFailure ?? failed.stop
                    continue
                }
                let usable = reply.samples.prefix(count)
                guard !usable.isEmpty else {
                    throw LeaseStop(ProviderFailure(retryable: true, message: "the provider returned no choices"))
                }
                for (offset, sample) in usable.enumerated() {
                    samples.append(
                        SampleResult(
                            sampleIndex: first + offset, outcome: sample.outcome, text: sample.text,
                            finishReason: sample.finishReason, resolvedModel: reply.resolvedModel,
                            systemFingerprint: reply.systemFingerprint, cacheKey: key(first + offset)))
                }
                for index in (first + usable.count)..<(first + count) { queue.append((index, 1)) }
            }
            if let lineFailure { throw lineFailure }
        } catch let stop as LeaseStop {
            throw PartialSamples(stop: stop, samples: samples)
        } catch is CancellationError where samples.contains(where: { !$0.fromCache }) {
            // Stopped (shutdown, or a lost lease) after paying for some samples:
            // hand them in with the job instead of asking for them again.
            let given = ProviderFailure(retryable: true, message: "given back by the worker with \(samples.count) samples")
            throw PartialSamples(stop: LeaseStop(given, countsAsAttempt: false), samples: samples)
        }
        if !deferred.isEmpty { throw Deferred(calls: deferred, samples: samples) }
        return samples
    }

    /// Runs of consecutive missing indexes, one request each (or one per
    /// index), none longer than `DeferredCall.maxSamples`.
    static func requests(for missing: [Int], multiSample: Bool) -> [(first: Int, count: Int)] {
        guard multiSample else { return missing.map { ($0, 1) } }
        var runs: [(first: Int, count: Int)] = []
        for index in missing {
            if let last = runs.last, last.first + last.count == index, last.count < DeferredCall.maxSamples {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((index, 1))
            }
        }
        return runs
    }

    static func allowsMultiSample(_ model: ModelSpec) -> Bool {
        model.sendsSamplesTogether
    }
}

/// A lease stopped after some samples arrived; they are reported with the failure.
struct PartialSamples: Error {
    let stop: LeaseStop
    let samples: [SampleResult]
}
