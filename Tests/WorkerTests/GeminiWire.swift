/// generateContent bodies as the Gemini API sends them.
enum GeminiWire {
    static let answer = """
        {
          "candidates": [
            {
              "content": {"parts": [{"text": "The image shows a gas stove with the burner on."}], "role": "model"},
              "finishReason": "STOP",
              "avgLogprobs": -0.2134
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 1290, "candidatesTokenCount": 11, "totalTokenCount": 1301,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 32}, {"modality": "IMAGE", "tokenCount": 1258}],
            "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 11}]
          },
          "modelVersion": "gemini-2.0-flash-001",
          "responseId": "vKoNaK2bLu6mkdUP0c6B0Qk"
        }
        """

    static let threeCandidates = """
        {"candidates": [
           {"content": {"parts": [{"text": "one"}], "role": "model"}, "finishReason": "STOP", "index": 1},
           {"finishReason": "SAFETY", "index": 2,
            "safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}]},
           {"content": {"parts": [{"text": "zero"}], "role": "model"}, "finishReason": "STOP"}
         ],
         "usageMetadata": {"promptTokenCount": 1290, "candidatesTokenCount": 2, "totalTokenCount": 1292},
         "modelVersion": "gemini-1.5-flash-002"}
        """

    static let promptBlocked = """
        {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
         "usageMetadata": {"promptTokenCount": 1290, "totalTokenCount": 1290,
                           "promptTokensDetails": [{"modality": "IMAGE", "tokenCount": 1258}, {"modality": "TEXT", "tokenCount": 32}]},
         "modelVersion": "gemini-2.5-flash", "responseId": "Bq0NaL3pF9K8kdUPkN3uoAE"}
        """

    static let finishSafety = """
        {"candidates": [{"finishReason": "SAFETY", "index": 0,
                         "safetyRatings": [{"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
                                           {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
                                           {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
                                           {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}]}],
         "usageMetadata": {"promptTokenCount": 1290, "totalTokenCount": 1290},
         "modelVersion": "gemini-1.5-pro-002"}
        """

    static let truncatedWhileThinking = """
        {"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}],
         "usageMetadata": {"promptTokenCount": 1290, "totalTokenCount": 1801, "thoughtsTokenCount": 511},
         "modelVersion": "gemini-2.5-flash", "responseId": "x"}
        """

    static let withThoughtSummary = """
        {"candidates": [{"content": {"parts": [{"text": "**Assessing the request**", "thought": true}, {"text": "Please be careful."}],
                                     "role": "model"}, "finishReason": "STOP", "index": 0}],
         "usageMetadata": {"promptTokenCount": 1290, "candidatesTokenCount": 4, "thoughtsTokenCount": 36, "totalTokenCount": 1330},
         "modelVersion": "gemini-2.5-pro"}
        """

    static let resourceExhausted = """
        {
          "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
              {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
               "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                               "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                               "quotaDimensions": {"location": "global", "model": "gemini-2.0-flash"}, "quotaValue": "15"}]},
              {"@type": "type.googleapis.com/google.rpc.Help",
               "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
              {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "27s"}
            ]
          }
        }
        """

    static let invalidKey = """
        {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
                   "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                                "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}]}}
        """

    static let unavailable = """
        {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}
        """

    static let noCandidates = """
        {"usageMetadata": {"promptTokenCount": 1290, "totalTokenCount": 1290}, "modelVersion": "gemini-2.0-flash"}
        """
}
