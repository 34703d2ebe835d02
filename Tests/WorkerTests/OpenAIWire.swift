/// Chat Completions bodies as OpenAI, Azure and OpenRouter send them.
enum OpenAIWire {
    static let answer = """
        {
          "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-4o-2024-08-06",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "The image shows a kitchen knife on a cutting board.",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1117,
            "completion_tokens": 12,
            "total_tokens": 1129,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
              "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
          },
          "service_tier": "default",
          "system_fingerprint": "fp_fc9f1d7035"
        }
        """

    static let threeChoicesOutOfOrder = """
        {"id": "chatcmpl-C1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-mini-2024-07-18",
         "choices": [
           {"index": 2, "message": {"role": "assistant", "content": "third", "refusal": null}, "logprobs": null, "finish_reason": "stop"},
           {"index": 0, "message": {"role": "assistant", "content": "first", "refusal": null}, "logprobs": null, "finish_reason": "stop"},
           {"index": 1, "message": {"role": "assistant", "content": "second", "refusal": null}, "logprobs": null, "finish_reason": "stop"}
         ],
         "usage": {"prompt_tokens": 1117, "completion_tokens": 30, "total_tokens": 1147},
         "system_fingerprint": "fp_06737a9306"}
        """

    /// vLLM and some proxies answer one choice whatever `n` said.
    static let oneChoiceOfThree = """
        {"id": "cmpl-7f3a", "object": "chat.completion", "created": 1741569952, "model": "Qwen/Qwen2.5-VL-7B-Instruct",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "only one", "tool_calls": [], "reasoning_content": null},
                      "logprobs": null, "finish_reason": "stop", "stop_reason": null}],
         "usage": {"prompt_tokens": 1302, "total_tokens": 1305, "completion_tokens": 3, "prompt_tokens_details": null},
         "prompt_logprobs": null}
        """

    static let contentParts = """
        {"id": "gen-1741569952", "object": "chat.completion", "model": "some/model",
         "choices": [
           {"index": 0, "message": {"role": "assistant", "content": [{"type": "text", "text": "Hello, "}, {"type": "text", "text": "world"}]}, "finish_reason": "stop"},
           {"index": 1, "message": {"role": "assistant", "content": null}, "finish_reason": "stop"}
         ]}
        """

    static let refusal = """
        {"id": "chatcmpl-R1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-2024-08-06",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": null,
                      "refusal": "I'm sorry, I can't help with that.", "annotations": []},
                      "logprobs": null, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 1117, "completion_tokens": 10, "total_tokens": 1127},
         "system_fingerprint": "fp_fc9f1d7035"}
        """

    /// A reasoning model that spent the whole limit thinking, and one cut mid-sentence.
    static let truncated = """
        {"id": "chatcmpl-T1", "object": "chat.completion", "created": 1741569952, "model": "o4-mini-2025-04-16",
         "choices": [
           {"index": 0, "message": {"role": "assistant", "content": "", "refusal": null, "annotations": []}, "finish_reason": "length"},
           {"index": 1, "message": {"role": "assistant", "content": "You could start by", "refusal": null, "annotations": []}, "finish_reason": "length"}
         ],
         "usage": {"prompt_tokens": 1117, "completion_tokens": 1024, "total_tokens": 2141,
                   "completion_tokens_details": {"reasoning_tokens": 1020}}}
        """

    static let azureFinishContentFilter = """
        {"choices": [{"content_filter_results": {"hate": {"filtered": false, "severity": "safe"},
                      "self_harm": {"filtered": true, "severity": "medium"}},
                      "finish_reason": "content_filter", "index": 0, "logprobs": null,
                      "message": {"content": null, "refusal": null, "role": "assistant"}}],
         "created": 1730000000, "id": "chatcmpl-AN1", "model": "gpt-4o-2024-08-06", "object": "chat.completion",
         "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}],
         "system_fingerprint": "fp_d54531d9eb",
         "usage": {"completion_tokens": 12, "prompt_tokens": 1100, "total_tokens": 1112}}
        """

    static let contentPolicyViolation = """
        {
          "error": {
            "message": "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
            "type": "invalid_request_error",
            "param": null,
            "code": "content_policy_violation"
          }
        }
        """

    static let invalidPrompt = """
        {
          "error": {
            "message": "Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt: https://platform.openai.com/docs/guides/reasoning#advice-on-prompting",
            "type": "invalid_request_error",
            "param": null,
            "code": "invalid_prompt"
          }
        }
        """

    static let azurePromptFiltered = """
        {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
                   "type": null, "param": "prompt", "code": "content_filter", "status": 400,
                   "innererror": {"code": "ResponsibleAIPolicyViolation",
                                  "content_filter_result": {"hate": {"filtered": false, "severity": "safe"},
                                                            "jailbreak": {"filtered": false, "detected": false},
                                                            "self_harm": {"filtered": true, "severity": "medium"},
                                                            "sexual": {"filtered": false, "severity": "safe"},
                                                            "violence": {"filtered": false, "severity": "safe"}}}}}
        """

    static let openRouterModeration = """
        {"error": {"code": 403,
                   "message": "openai/gpt-4o requires moderation on OpenAI. Your input was flagged for \\"self-harm/intent\\". No credits were charged.",
                   "metadata": {"reasons": ["self-harm/intent"], "flagged_input": "What should I do with this?",
                                "provider_name": "OpenAI", "model_slug": "openai/gpt-4o"}},
         "user_id": "user_2abc"}
        """

    static let unsupportedRegion = """
        {"error": {"code": "unsupported_country_region_territory", "message": "Country, region, or territory not supported",
                   "param": null, "type": "request_forbidden"}}
        """

    static let rateLimited = """
        {
          "error": {
            "message": "Rate limit reached for gpt-4o in organization org-7hKqW2 on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
            "type": "requests",
            "param": null,
            "code": "rate_limit_exceeded"
          }
        }
        """

    static let insufficientQuota = """
        {
          "error": {
            "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "type": "insufficient_quota",
            "param": null,
            "code": "insufficient_quota"
          }
        }
        """

    static let requestTooLarge = """
        {"error": {"message": "Request too large for gpt-4o in organization org-7hKqW2 on tokens per min (TPM): Limit 30000, Requested 41234. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
                   "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}
        """

    static let invalidKey = """
        {
          "error": {
            "message": "Incorrect API key provided: sk-proj-********************************************s0A. You can find your API key at https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": null,
            "code": "invalid_api_key"
          }
        }
        """

    static let serverError = """
        {"error": {"message": "The server had an error while processing your request. Sorry about that!", "type": "server_error", "param": null, "code": null}}
        """

    static let noChoices = """
        {"id": "chatcmpl-X", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o"}
        """

    static let emptyChoices = """
        {"id": "chatcmpl-X", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o", "choices": []}
        """

    static let choiceWithoutMessage = """
        {"id": "chatcmpl-X", "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop"}]}
        """

    /// OpenRouter reports an upstream failure inside a 200.
    static let openRouterErrorIn200 = """
        {"error": {"code": 502, "message": "Provider returned error", "metadata": {"provider_name": "Together"}}, "user_id": "user_2abc"}
        """
}
