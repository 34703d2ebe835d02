/// Messages bodies as Anthropic sends them.
enum AnthropicWire {
    static let answer = """
        {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
         "content": [{"type": "text", "text": "I can see a bottle of pills on a nightstand."}],
         "stop_reason": "end_turn", "stop_sequence": null,
         "usage": {"input_tokens": 1585, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                   "output_tokens": 14, "service_tier": "standard"}}
        """

    static let thinkingAndTwoTextBlocks = """
        {"id": "msg_02", "type": "message", "role": "assistant", "model": "claude-opus-4-1-20250805",
         "content": [{"type": "thinking", "thinking": "The user asks...", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                     {"type": "text", "text": "Part one. "},
                     {"type": "text", "text": "Part two.", "citations": null}],
         "stop_reason": "end_turn", "stop_sequence": null,
         "usage": {"input_tokens": 100, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 500, "output_tokens": 250}}
        """

    static let refusal = """
        {"id": "msg_03", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
         "content": [], "stop_reason": "refusal", "stop_sequence": null,
         "usage": {"input_tokens": 1585, "output_tokens": 0}}
        """

    static let truncatedWhileThinking = """
        {"id": "msg_04", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
         "content": [{"type": "thinking", "thinking": "Let me consider", "signature": "Eq"}],
         "stop_reason": "max_tokens", "stop_sequence": null, "usage": {"input_tokens": 1585, "output_tokens": 5}}
        """

    static let cutMidAnswer = """
        {"id": "msg_05", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
         "content": [{"type": "text", "text": "First, make sure"}],
         "stop_reason": "max_tokens", "stop_sequence": null, "usage": {"input_tokens": 1585, "output_tokens": 5}}
        """

    static let overloaded = """
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}
        """

    static let rateLimited = """
        {"type": "error", "error": {"type": "rate_limit_error", "message": "This request would exceed the rate limit for your organization (4c3b2a1f) of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."},
         "request_id": "req_011CSHpP3nGyP6Rd7Yv4kM2q"}
        """

    static let invalidRequest = """
        {"type": "error", "error": {"type": "invalid_request_error", "message": "messages.0.content.0.image.source.base64.data: Image does not match the provided media type image/png"}}
        """

    static let authentication = """
        {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}, "request_id": "req_011CSHq"}
        """

    static let requestTooLarge = """
        {"type": "error", "error": {"type": "request_too_large", "message": "Request exceeds the maximum allowed number of bytes."}}
        """

    static let notFound = """
        {"type": "error", "error": {"type": "not_found_error", "message": "model: claude-4-nonexistent"}}
        """

    static let apiError = """
        {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}
        """
}
