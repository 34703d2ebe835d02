import Foundation
import MockProvider
import Shared
import SiuoTestSupport
import Testing

/// The mock's batch routes, spoken to directly over loopback: their shapes,
/// and that each line is answered as its live route answers the same body.
@Suite struct MockBatchRoutesTests {
    /// Batches end after 0.3 s, except `claude-slow`'s, which take an hour (no slow test can see one end).
    static let config: MockConfig = {
        var profile = MockModelProfile.defaults
        profile.batchDelaySeconds = 0.3
        var slow = profile
        slow.batchDelaySeconds = 3600
        return MockConfig(defaults: profile, models: ["claude-slow": slow])
    }()

    let prompts = ["Case 1: what now?", "Case 2: and then?", "Case 3: why so?"]

    func send(
        _ client: MockWireClient, _ method: String, _ path: String, body: [UInt8]? = nil, type: String = "application/json"
    )
        async throws -> HTTPClientResponse
    {
        try await client.http.send(
            HTTPClientRequest(method: method, url: client.baseURL + path, headers: ["Content-Type": type], body: body, timeout: TestHTTP.hangLimit))
    }

    func lines(_ response: HTTPClientResponse) throws -> [JSONValue] {
        try response.body.split(separator: 10).map { try JSONDecoder().decode(JSONValue.self, from: Data($0)) }
    }

    func openAIBody(_ prompt: String) -> JSONValue {
        .object([
            "model": .string("gpt-b"),
            "messages": .array([.object(["role": .string("user"), "content": .string(prompt)])]),
        ])
    }

    @Test func openAIFilesAndBatches() async throws {
        try await MockLoopback.with(MockServer(seed: 3, config: Self.config)) { url in
            let client = MockWireClient(baseURL: url)
            var file: [UInt8] = []
            for (index, prompt) in prompts.enumerated() {
                let line: JSONValue = .object([
                    "custom_id": .string("j\(index)-s\(index)"), "method": .string("POST"), "url": .string("/v1/chat/completions"),
                    "body": openAIBody(prompt),
                ])
                file += Array(line.canonicalData()) + [10]
            }
            let boundary = "b0undary"
            var form = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n".utf8)
            form += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n"
                    .utf8)
            form += file + Array("\r\n--\(boundary)--\r\n".utf8)
            let upload = try json(await send(client, "POST", "/v1/files", body: form, type: "multipart/form-data; boundary=\(boundary)"))
            #expect(upload["object"]?.stringValue == "file" && upload["purpose"]?.stringValue == "batch")
            #expect(upload["bytes"]?.intValue == file.count)
            let fileID = try #require(upload["id"]?.stringValue)
            #expect(try await send(client, "GET", "/v1/files/\(fileID)/content").body == file)

            let create: JSONValue = .object([
                "input_file_id": .string(fileID), "endpoint": .string("/v1/chat/completions"), "completion_window": .string("24h"),
                "metadata": .object(["siuo_tag": .string("t1")]),
            ])
            let batch = try json(await send(client, "POST", "/v1/batches", body: Array(create.canonicalData())))
            #expect(batch["object"]?.stringValue == "batch" && batch["status"]?.stringValue == "in_progress")
            #expect(batch["metadata"]?["siuo_tag"]?.stringValue == "t1")
            #expect(batch["request_counts"]?["total"]?.intValue == 3)
            let id = try #require(batch["id"]?.stringValue)

            var done = JSONValue.null
            try await waitUntil("the OpenAI batch completes") {
                done = try json(await send(client, "GET", "/v1/batches/\(id)"))
                return done["status"]?.stringValue == "completed"
            }
            #expect(done["request_counts"]?["completed"]?.intValue == 3)
            #expect(done["error_file_id"] == .null)
            let outputID = try #require(done["output_file_id"]?.stringValue)
            let output = try lines(await send(client, "GET", "/v1/files/\(outputID)/content"))
            #expect(output.count == 3)
            for (index, line) in output.enumerated() {
                #expect(line["custom_id"]?.stringValue == "j\(index)-s\(index)")
                #expect(line["id"]?.stringValue?.hasPrefix("batch_req_") == true)
                #expect(line["error"] == .null)
                #expect(line["response"]?["status_code"]?.intValue == 200)
                // The sample comes from the custom id, as X-Siuo-Sample on the live route.
                let live = try json(
                    await client.post(
                        "/v1/chat/completions", ["model": "gpt-b", "messages": [["role": "user", "content": prompts[index]]]], headers: [:],
                        sample: index))
                #expect(line["response"]?["body"]?["choices"] == live["choices"])
                #expect(line["response"]?["body"]?["usage"] == live["usage"])
            }

            let list = try json(await send(client, "GET", "/v1/batches?limit=1"))
            #expect(list["object"]?.stringValue == "list" && list["data"]?.arrayValue?.count == 1 && list["has_more"] == .bool(false))
            #expect(try await send(client, "GET", "/v1/batches/batch_nope").status == 404)
            #expect(try await send(client, "POST", "/v1/batches/\(id)/cancel").status == 400)
            let stats = try await client.stats()["batches"]
            #expect(stats?["created"]?["openai"]?.intValue == 1 && stats?["lines_received"]?.intValue == 3)
            #expect(stats?["lines_answered"]?.intValue == 3 && stats?["duplicate_paid_lines"]?.intValue == 0)
        }
    }

    @Test func anthropicMessageBatchesAndResults() async throws {
        try await MockLoopback.with(MockServer(seed: 3, config: Self.config)) { url in
            let client = MockWireClient(baseURL: url)
            let requests: [JSONValue] = prompts.enumerated().map { index, prompt in
                .object([
                    "custom_id": .string("j\(index)-s0"),
                    "params": .object([
                        "model": .string("claude-b"), "max_tokens": .int(100),
                        "messages": .array([.object(["role": .string("user"), "content": .string(prompt)])]),
                    ]),
                ])
            }
            let created = try json(
                await send(client, "POST", "/v1/messages/batches", body: Array(JSONValue.object(["requests": .array(requests)]).canonicalData())))
            #expect(created["type"]?.stringValue == "message_batch" && created["processing_status"]?.stringValue == "in_progress")
            #expect(created["request_counts"]?["processing"]?.intValue == 3 && created["results_url"] == .null)
            let id = try #require(created["id"]?.stringValue)
            #expect(id.hasPrefix("msgbatch_"))

            var ended = JSONValue.null
            try await waitUntil("the Anthropic batch ends") {
                ended = try json(await send(client, "GET", "/v1/messages/batches/\(id)"))
                return ended["processing_status"]?.stringValue == "ended"
            }
            let counts = ended["request_counts"]
            #expect(counts?["succeeded"]?.intValue == 3 && counts?["processing"]?.intValue == 0)
            #expect(counts?["errored"]?.intValue == 0 && counts?["canceled"]?.intValue == 0 && counts?["expired"]?.intValue == 0)
            let resultsURL = try #require(ended["results_url"]?.stringValue)
            #expect(resultsURL == "\(url)/v1/messages/batches/\(id)/results")
            let results = try lines(await client.http.send(HTTPClientRequest(url: resultsURL, timeout: TestHTTP.hangLimit)))
            #expect(results.count == 3)
            for (index, line) in results.enumerated() {
                #expect(line["custom_id"]?.stringValue == "j\(index)-s0")
                #expect(line["result"]?["type"]?.stringValue == "succeeded")
                let live = try json(
                    await client.post(
                        "/v1/messages", ["model": "claude-b", "max_tokens": 100, "messages": [["role": "user", "content": prompts[index]]]],
                        headers: [:], sample: 0))
                #expect(line["result"]?["message"] == live)
            }
            let list = try json(await send(client, "GET", "/v1/messages/batches?limit=10"))
            #expect(list["data"]?.arrayValue?.first?["id"]?.stringValue == id && list["last_id"]?.stringValue == id)

            // A batch still processing has no results yet; a cancel ends it with its requests canceled.
            let slowRequest: JSONValue = .object([
                "custom_id": .string("j9-s0"),
                "params": .object([
                    "model": .string("claude-slow"), "max_tokens": .int(100),
                    "messages": .array([.object(["role": .string("user"), "content": .string("slow")])]),
                ]),
            ])
            let slow = try json(
                await send(client, "POST", "/v1/messages/batches", body: Array(JSONValue.object(["requests": .array([slowRequest])]).canonicalData()))
            )
            let slowID = try #require(slow["id"]?.stringValue)
            #expect(try await send(client, "GET", "/v1/messages/batches/\(slowID)/results").status == 400)
            let canceling = try json(await send(client, "POST", "/v1/messages/batches/\(slowID)/cancel"))
            #expect(canceling["processing_status"]?.stringValue == "canceling")
            let canceled = try json(await send(client, "GET", "/v1/messages/batches/\(slowID)"))
            #expect(canceled["processing_status"]?.stringValue == "ended" && canceled["request_counts"]?["canceled"]?.intValue == 1)
            let slowResults = try lines(await send(client, "GET", "/v1/messages/batches/\(slowID)/results"))
            #expect(slowResults.first?["result"] == .object(["type": .string("canceled")]))
            #expect(try await send(client, "POST", "/v1/messages/batches", body: Array(#"{"requests":[]}"#.utf8)).status == 400)
        }
    }

    @Test func geminiBatchOperations() async throws {
        try await MockLoopback.with(MockServer(seed: 3, config: Self.config)) { url in
            let client = MockWireClient(baseURL: url)
            let requests: [JSONValue] = prompts.enumerated().map { index, prompt in
                .object([
                    "request": .object([
                        "contents": .array([.object(["role": .string("user"), "parts": .array([.object(["text": .string(prompt)])])])])
                    ]),
                    "metadata": .object(["key": .string("j\(index)-s1")]),
                ])
            }
            let body: JSONValue = .object([
                "batch": .object([
                    "display_name": .string("tag-g"), "input_config": .object(["requests": .object(["requests": .array(requests)])]),
                ])
            ])
            let created = try json(await send(client, "POST", "/v1beta/models/gem-b:batchGenerateContent", body: Array(body.canonicalData())))
            let name = try #require(created["name"]?.stringValue)
            #expect(name.hasPrefix("batches/"))
            #expect(created["metadata"]?["state"]?.stringValue == "BATCH_STATE_RUNNING")
            #expect(created["metadata"]?["displayName"]?.stringValue == "tag-g")
            #expect(created["metadata"]?["batchStats"]?["requestCount"] == .string("3"))
            #expect(created["done"] == .bool(false))

            var done = JSONValue.null
            try await waitUntil("the Gemini batch succeeds") {
                done = try json(await send(client, "GET", "/v1beta/\(name)"))
                return done["metadata"]?["state"]?.stringValue == "BATCH_STATE_SUCCEEDED"
            }
            #expect(done["done"] == .bool(true))
            #expect(done["metadata"]?["batchStats"]?["successfulRequestCount"] == .string("3"))
            let inlined = try #require(done["metadata"]?["output"]?["inlinedResponses"]?["inlinedResponses"]?.arrayValue)
            #expect(done["response"]?["inlinedResponses"]?["inlinedResponses"]?.arrayValue == inlined)
            for (index, item) in inlined.enumerated() {
                #expect(item["metadata"]?["key"]?.stringValue == "j\(index)-s1")
                let live = try json(
                    await client.post(
                        "/v1beta/models/gem-b:generateContent", ["contents": [["role": "user", "parts": [["text": prompts[index]]]]]], headers: [:],
                        sample: 1))
                #expect(item["response"] == live)
            }
            let list = try json(await send(client, "GET", "/v1beta/batches?pageSize=5"))
            #expect(list["operations"]?.arrayValue?.first?["name"]?.stringValue == name)
            #expect(try await send(client, "POST", "/v1beta/\(name):cancel").status == 400)
            #expect(try await send(client, "GET", "/v1beta/batches/nope").status == 404)
        }
    }

    @Test func batchSettingsAreReadFromTheConfigFile() throws {
        let config = try MockConfig.parse(
            Data(#"{"batch_delay_s": 30, "models": {"m": {"batch_line_errors": 0.25, "batch_expiry": "half"}}}"#.utf8))
        #expect(config.defaults.batchDelaySeconds == 30)
        let model = config.profile(for: "m")
        #expect(model.batchDelaySeconds == 30 && model.batchLineErrors == 0.25 && model.batchExpiry == .half)
        var overridden = config
        overridden.setBatchDelay(2)
        #expect(overridden.profile(for: "m").batchDelaySeconds == 2 && overridden.defaults.batchDelaySeconds == 2)
        do {
            _ = try MockConfig.parse(Data(#"{"models": {"m": {"batch_expiry": "soon"}}}"#.utf8), file: "mock.json")
            Issue.record("accepted an unknown expiry")
        } catch let error as MockConfigError {
            #expect(error.field == "models.m.batch_expiry")
        }
        #expect(throws: MockConfigError.self) { try MockConfig.parse(Data(#"{"batch_line_errors": 2}"#.utf8)) }
    }
}
