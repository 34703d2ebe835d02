import Foundation
import Shared

/// The batch client for each API family.
public enum BatchAPIs {
    /// The client that speaks `provider`'s batch API through `http`, with
    /// `keys`; each exchange must end within `timeout`. `mock` speaks
    /// OpenAI's, without a key.
    public static func make(for provider: Provider, http: CurlMultiClient, keys: KeyRing, timeout: TimeInterval) -> any BatchAPI {
        switch provider {
        case .openai: OpenAIBatchAPI(codec: OpenAICodec(), http: http, keys: keys, timeout: timeout)
        case .mock: OpenAIBatchAPI(codec: OpenAICodec(sendsAuthorization: false), http: http, keys: keys, timeout: timeout)
        case .anthropic: AnthropicBatchAPI(codec: AnthropicCodec(), http: http, keys: keys, timeout: timeout)
        case .gemini: GeminiBatchAPI(codec: GeminiCodec(), http: http, keys: keys, timeout: timeout)
        }
    }
}
