import Foundation
import Shared

/// Reads the three providers' request bodies the way the real APIs do, so a
/// malformed request from a codec fails here as it would there.
enum RequestParsing {
    static func parse(_ body: [UInt8], format: MockWireFormat, pathModel: String?) throws(RequestProblem) -> ParsedRequest {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw RequestProblem(message: "the request body is not valid JSON")
        }
        guard document.objectValue != nil else { throw RequestProblem(message: "the request body must be a JSON object") }
        var parsed: ParsedRequest
        switch format {
        case .openai: parsed = try openAI(document)
        case .anthropic: parsed = try anthropic(document)
        case .gemini: parsed = try gemini(document, model: pathModel ?? "")
        }
        parsed.options = MockRequestOptions(body: document, format: format)
        return parsed
    }

    static func openAI(_ body: JSONValue) throws(RequestProblem) -> ParsedRequest {
        let model = try requiredModel(body["model"])
        guard case .array(let messages)? = body["messages"], !messages.isEmpty else {
            throw RequestProblem(message: "'messages' must be a non-empty array")
        }
        var texts: [String] = []
        var images = 0
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue else { throw RequestProblem(message: "messages[\(index)].role is required") }
            guard role == "user" else { continue }
            switch message["content"] {
            case .string(let text)?: texts.append(text)
            case .array(let parts)?:
                for (partIndex, part) in parts.enumerated() {
                    let place = "messages[\(index)].content[\(partIndex)]"
                    switch part["type"]?.stringValue {
                    case "text":
                        guard let text = part["text"]?.stringValue else { throw RequestProblem(message: "\(place).text must be a string") }
                        texts.append(text)
                    case "image_url":
                        guard let url = part["image_url"]?["url"]?.stringValue, url.hasPrefix("data:") || url.hasPrefix("http") else {
                            throw RequestProblem(message: "\(place).image_url.url must be a data or http(s) URL")
                        }
                        if url.hasPrefix("data:") { try checkDataURL(url, at: place) }
                        images += 1
                    default: throw RequestProblem(message: "\(place).type must be 'text' or 'image_url'")
                    }
                }
            default: throw RequestProblem(message: "messages[\(index)].content must be a string or an array of parts")
            }
        }
        let choices = try count(body["n"], name: "n")
        return ParsedRequest(format: .openai, model: model, prompt: texts.joined(separator: "\n"), imageCount: images, choices: choices)
    }

    static func anthropic(_ body: JSONValue) throws(RequestProblem) -> ParsedRequest {
        let model = try requiredModel(body["model"])
        guard case .int? = body["max_tokens"] else { throw RequestProblem(message: "max_tokens: Field required") }
        guard case .array(let messages)? = body["messages"], !messages.isEmpty else {
            throw RequestProblem(message: "messages: Field required")
        }
        var texts: [String] = []
        var images = 0
        for (index, message) in messages.enumerated() where message["role"]?.stringValue == "user" {
            switch message["content"] {
            case .string(let text)?: texts.append(text)
            case .array(let blocks)?:
                for (blockIndex, block) in blocks.enumerated() {
                    let place = "messages.\(index).content.\(blockIndex)"
                    switch block["type"]?.stringValue {
                    case "text":
                        guard let text = block["text"]?.stringValue else { throw RequestProblem(message: "\(place).text: Field required") }
                        texts.append(text)
                    case "image":
                        guard block["source"]?["type"]?.stringValue == "base64", block["source"]?["media_type"]?.stringValue != nil,
                            let data = block["source"]?["data"]?.stringValue, Data(base64Encoded: data) != nil
                        else {
                            throw RequestProblem(message: "\(place).source: expected base64 image data with a media_type")
                        }
                        images += 1
                    default: throw RequestProblem(message: "\(place).type: expected 'text' or 'image'")
                    }
                }
            default: throw RequestProblem(message: "messages.\(index).content: expected a string or a list of blocks")
            }
        }
        return ParsedRequest(format: .anthropic, model: model, prompt: texts.joined(separator: "\n"), imageCount: images, choices: 1)
    }

    static func gemini(_ body: JSONValue, model: String) throws(RequestProblem) -> ParsedRequest {
        guard !model.isEmpty else { throw RequestProblem(message: "the model name in the path is empty") }
        guard case .array(let contents)? = body["contents"], !contents.isEmpty else {
            throw RequestProblem(message: "* GenerateContentRequest.contents: contents is not specified")
        }
        var texts: [String] = []
        var images = 0
        // `role` may be omitted for single-turn requests; it then means the user.
        for (index, content) in contents.enumerated() where (content["role"]?.stringValue ?? "user") == "user" {
            guard case .array(let parts)? = content["parts"] else { throw RequestProblem(message: "contents[\(index)].parts is required") }
            for (partIndex, part) in parts.enumerated() {
                if let text = part["text"]?.stringValue {
                    texts.append(text)
                } else if let inline = part["inline_data"] ?? part["inlineData"] {
                    guard (inline["mime_type"] ?? inline["mimeType"])?.stringValue != nil,
                        let data = inline["data"]?.stringValue, Data(base64Encoded: data) != nil
                    else {
                        throw RequestProblem(message: "contents[\(index)].parts[\(partIndex)].inline_data: expected mime_type and base64 data")
                    }
                    images += 1
                } else {
                    throw RequestProblem(message: "contents[\(index)].parts[\(partIndex)]: expected text or inline_data")
                }
            }
        }
        let config = body["generationConfig"] ?? body["generation_config"]
        let choices = try count(config?["candidateCount"] ?? config?["candidate_count"], name: "candidateCount")
        return ParsedRequest(format: .gemini, model: model, prompt: texts.joined(separator: "\n"), imageCount: images, choices: choices)
    }

    private static func requiredModel(_ value: JSONValue?) throws(RequestProblem) -> String {
        guard let model = value?.stringValue, !model.isEmpty else { throw RequestProblem(message: "model: a model name is required") }
        return model
    }

    private static func count(_ value: JSONValue?, name: String) throws(RequestProblem) -> Int {
        switch value {
        case nil, .null?: return 1
        case .int(let n)? where (1...128).contains(n): return Int(n)
        default: throw RequestProblem(message: "\(name) must be an integer between 1 and 128")
        }
    }

    private static func checkDataURL(_ url: String, at place: String) throws(RequestProblem) {
        guard let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64"),
            Data(base64Encoded: String(url[url.index(after: comma)...])) != nil
        else {
            throw RequestProblem(message: "\(place).image_url.url: invalid base64 data URL")
        }
    }
}
