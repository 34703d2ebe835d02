import Foundation
import Shared

/// The codec for each API family.
public enum ProviderCodecs {
    /// The codec that speaks `provider`'s wire format; `mock` speaks OpenAI's without a key.
    public static func codec(for provider: Provider) -> any ProviderCodec {
        switch provider {
        case .openai: OpenAICodec()
        case .mock: OpenAICodec(sendsAuthorization: false)
        case .anthropic: AnthropicCodec()
        case .gemini: GeminiCodec()
        }
    }
}
