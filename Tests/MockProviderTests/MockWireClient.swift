import Foundation
import MockProvider
import Shared
import SiuoTestSupport

/// Request bodies as the real SDKs send them, and a client to post them.
struct MockWireClient {
    let baseURL: String
    let http = CurlMultiClient.shared

    /// A tiny base64 "image": the mock counts images, it does not decode them.
    static let image = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).base64EncodedString()

    func openAI(
        model: String, prompt: String, n: Int? = nil, sample: Int? = nil, timeout: TimeInterval = TestHTTP.hangLimit
    ) async throws -> HTTPClientResponse {
        var body: [String: Any] = [
            "model": model, "temperature": 1, "max_tokens": 200,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": prompt],
                        ["type": "image_url", "image_url": ["url": "data:image/png;base64,\(Self.image)"]],
                    ],
                ]
            ],
        ]
        if let n { body["n"] = n }
        return try await post("/v1/chat/completions", body, headers: ["Authorization": "Bearer sk-test"], sample: sample, timeout: timeout)
    }

    func anthropic(model: String, prompt: String, sample: Int? = nil) async throws -> HTTPClientResponse {
        let body: [String: Any] = [
            "model": model, "max_tokens": 200,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": Self.image]],
                        ["type": "text", "text": prompt],
                    ],
                ]
            ],
        ]
        return try await post("/v1/messages", body, headers: ["x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"], sample: sample)
    }

    func gemini(model: String, prompt: String, candidates: Int? = nil, sample: Int? = nil) async throws -> HTTPClientResponse {
        var body: [String: Any] = [
            "contents": [["role": "user", "parts": [["text": prompt], ["inline_data": ["mime_type": "image/png", "data": Self.image]]]]]
        ]
        if let candidates { body["generationConfig"] = ["candidateCount": candidates, "maxOutputTokens": 200] }
        return try await post("/v1beta/models/\(model):generateContent", body, headers: ["x-goog-api-key": "g-test"], sample: sample)
    }

    func post(
        _ path: String, _ body: [String: Any], headers: [String: String], sample: Int?, timeout: TimeInterval = TestHTTP.hangLimit
    ) async throws -> HTTPClientResponse {
        var headers = headers
        headers["Content-Type"] = "application/json"
        if let sample { headers["X-Siuo-Sample"] = "\(sample)" }
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await http.send(HTTPClientRequest(method: "POST", url: baseURL + path, headers: headers, body: Array(data), timeout: timeout))
    }

    func get(_ path: String) async throws -> HTTPClientResponse {
        try await http.send(HTTPClientRequest(url: baseURL + path, timeout: TestHTTP.hangLimit))
    }

    func stats() async throws -> JSONValue {
        try json(await get("/stats"))
    }
}

func json(_ response: HTTPClientResponse) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var intValue: Int? {
        if case .int(let value) = self { return Int(value) }
        return nil
    }
}
