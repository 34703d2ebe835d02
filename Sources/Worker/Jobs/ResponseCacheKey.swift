import Foundation
import Shared

/// The response-cache key of one sample (docs/protocol.md, "The response cache and replicates"): the sha256 of the exact
/// request — provider, base URL, model, parameters, prompt, image — with the
/// sample's index and the sweep's cache namespace. Two sweeps asking the same
/// thing of the same model share answers; another namespace makes replicates.
enum ResponseCacheKey {
    static func make(_ call: ModelCall, imageSHA256: String, sample: Int, namespace: String) -> String {
        var members: [String: JSONValue] = [
            "namespace": .string(namespace),
            "provider": .string(call.model.provider.rawValue),
            "base_url": .string(call.model.baseURL),
            "model": .string(call.model.model),
            "params": .object(call.model.params),
            "temperature": call.temperature.map(JSONValue.double) ?? .null,
            "max_tokens": call.maxTokens.map { .int(Int64($0)) } ?? .null,
            "prompt": .string(call.prompt),
            "image_sha256": .string(imageSHA256),
            "sample": .int(Int64(sample)),
        ]
        // A profile that changes the request (docs/architecture.md, "Model profiles") is part of
        // it; a plain one adds nothing, so keys made before profiles still match.
        let profile = call.model.profile
        if profile.changesRequest {
            let sent = call.effectiveRequest
            members["profile"] = .object([
                "token_field": .string(sent.tokenField.rawValue),
                "limit": sent.maxTokens.map { .int(Int64($0)) } ?? .null,
                "temperature": sent.temperature.map(JSONValue.double) ?? .null,
                "thinking": profile.thinking.map { .string($0.label) } ?? .null,
            ])
        }
        return SHA256Hex.digest(JSONValue.object(members).canonicalString())
    }
}

/// The cache as a worker's jobs see it; lookups are batched across jobs.
struct ResponseCacheClient: Sendable {
    let batcher: CacheLookupBatcher

    init(lookup: @escaping @Sendable ([String]) async throws -> [CachedAnswer]) {
        batcher = CacheLookupBatcher(lookup: lookup)
    }

    /// The cached answers for `keys`, by key. An unreachable coordinator fails
    /// the job (retried later) rather than paying the provider for a cached answer.
    func answers(_ keys: [String]) async throws -> [String: CachedAnswer] {
        guard !keys.isEmpty else { return [:] }
        return try await batcher.answers(keys)
    }
}
