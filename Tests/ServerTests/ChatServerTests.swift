import Foundation
import OpenAIWire
@testable import Server
import XCTest

/// The HTTP layer over a scripted engine: routing, reply and chunk shapes, errors, queueing, cancellation,
/// shutdown. (The real model is driven in `RealModelServerTests`.)
final class ChatServerTests: XCTestCase {
    private let hello: JSONValue = ["messages": [["role": "user", "content": "Hi"]]]

    private func body(_ extra: [(String, JSONValue)]) -> JSONValue {
        guard case let .object(members) = hello else { fatalError() }
        return .object(members + extra.map { (key: $0.0, value: $0.1) })
    }

    // MARK: - Routing

    func testUnknownPathIs404AndWrongMethodIs405() async throws {
        let test = try await TestServer.start(ScriptedEngine())
        defer { Task { await test.stop() } }
        let client = test.client

        let missing = try await offPool { try client.send("GET", "/v1/nothing") }
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try missing.apiError().code, "unknown_url")

        let wrongMethod = try await offPool { try client.send("GET", "/v1/chat/completions") }
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "POST")
        XCTAssertEqual(try wrongMethod.apiError().type, "invalid_request_error")

        let postModels = try await offPool { try client.send("POST", "/v1/models", body: "{}") }
        XCTAssertEqual(postModels.status, 405)
        XCTAssertEqual(postModels.headers["allow"], "GET")
    }

    func testModels() async throws {
        let test = try await TestServer.start(ScriptedEngine())
        defer { Task { await test.stop() } }
        let client = test.client

        let list = try await offPool { try client.send("GET", "/v1/models") }
        XCTAssertEqual(list.status, 200)
        let json = try list.json()
        XCTAssertEqual(json["object"], "list")
        XCTAssertEqual(json["data"]?[0]?["id"], "scripted")

        let one = try await offPool { try client.send("GET", "/v1/models/scripted") }
        XCTAssertEqual(one.status, 200)
        XCTAssertEqual(try one.json()["object"], "model")

        let other = try await offPool { try client.send("GET", "/v1/models/gpt-4") }
        XCTAssertEqual(other.status, 404)
        XCTAssertEqual(try other.apiError().code, "model_not_found")
    }

    // MARK: - Replies

    func testPlainReplyHasOpenAIsShapeAndUsage() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Hey!"))
        defer { Task { await test.stop() } }
        let client = test.client
        let request = body([("model", "my-judge")])
        let reply = try await offPool { try client.chat(request) }
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.headers["content-type"], "application/json")
        let json = try reply.json()
        XCTAssertEqual(json["object"], "chat.completion")
        XCTAssertEqual(json["model"], "my-judge")
        guard case let .string(id)? = json["id"] else { return XCTFail("no id") }
        XCTAssertTrue(id.hasPrefix("chatcmpl-"))
        let choice = try XCTUnwrap(Self.firstChoice(json))
        XCTAssertEqual(choice["message"]?["role"], "assistant")
        XCTAssertEqual(choice["message"]?["content"], "Hey!")
        XCTAssertEqual(choice["finish_reason"], "stop")
        XCTAssertEqual(choice["logprobs"], JSONValue.null)
        let prompt = "user: Hi\n".utf8.count
        let usage: JSONValue = ["prompt_tokens": .integer(prompt), "completion_tokens": 4, "total_tokens": .integer(prompt + 4)]
        XCTAssertEqual(json["usage"], usage)
    }

    func testMaxTokensEndsWithLengthAndModelDefaultsToTheServers() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Hello there!"))
        defer { Task { await test.stop() } }
        let client = test.client
        let request = body([("max_tokens", 3)])
        let json = try await offPool { try client.chat(request).json() }
        XCTAssertEqual(json["model"], "scripted")
        XCTAssertEqual(Self.firstChoice(json)?["message"]?["content"], "Hel")
        XCTAssertEqual(Self.firstChoice(json)?["finish_reason"], "length")
        XCTAssertEqual(json["usage"]?["completion_tokens"], 3)
    }

    func testLogprobsShape() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Ok"))
        defer { Task { await test.stop() } }
        let client = test.client
        let request = body([("logprobs", true), ("top_logprobs", 2)])
        let json = try await offPool { try client.chat(request).json() }
        let content = try XCTUnwrap(Self.firstChoice(json)?["logprobs"]?["content"])
        let expected: JSONValue = [
            ["token": "O", "logprob": -0.25, "bytes": [79], "top_logprobs": [
                ["token": "t0", "logprob": -0.25, "bytes": [116, 48]], ["token": "t1", "logprob": -1.25, "bytes": [116, 49]],
            ]],
            ["token": "k", "logprob": -0.25, "bytes": [107], "top_logprobs": [
                ["token": "t0", "logprob": -0.25, "bytes": [116, 48]], ["token": "t1", "logprob": -1.25, "bytes": [116, 49]],
            ]],
        ]
        XCTAssertEqual(content, expected)
    }

    func testStreamingChunksRoleContentFinishUsageDone() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Yo!"))
        defer { Task { await test.stop() } }
        let client = test.client
        let request = body([("stream", true), ("stream_options", ["include_usage": true]), ("logprobs", true)])
        let reply = try await offPool { try client.chat(request) }
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.headers["content-type"], "text/event-stream")
        let events = reply.events
        XCTAssertEqual(events.last, "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue.parse(Data($0.utf8)) }
        XCTAssertEqual(chunks.count, 1 + 3 + 1 + 1, "role, three characters, finish, usage")
        for chunk in chunks {
            XCTAssertEqual(chunk["object"], "chat.completion.chunk")
            XCTAssertEqual(chunk["id"], chunks[0]["id"])
        }
        XCTAssertEqual(Self.firstChoice(chunks[0])?["delta"], JSONValue.object([("role", "assistant"), ("content", "")]))
        XCTAssertEqual(chunks[0]["usage"], JSONValue.null)
        let text = chunks[1...3].compactMap { chunk -> String? in
            guard case let .string(piece)? = Self.firstChoice(chunk)?["delta"]?["content"] else { return nil }
            return piece
        }.joined()
        XCTAssertEqual(text, "Yo!")
        let firstLogprobs: JSONValue = [["token": "Y", "logprob": -0.25, "bytes": [89], "top_logprobs": []]]
        XCTAssertEqual(Self.firstChoice(chunks[1])?["logprobs"]?["content"], firstLogprobs)
        XCTAssertEqual(Self.firstChoice(chunks[4])?["finish_reason"], "stop")
        XCTAssertEqual(Self.firstChoice(chunks[4])?["delta"], JSONValue.object([]))
        XCTAssertEqual(chunks[5]["choices"], JSONValue.array([]))
        XCTAssertEqual(chunks[5]["usage"]?["completion_tokens"], 3)
    }

    // MARK: - Errors over HTTP

    func testBadRequestsAre400WithOpenAIsErrorBody() async throws {
        let test = try await TestServer.start(ScriptedEngine())
        defer { Task { await test.stop() } }
        let client = test.client
        let cases: [(String, String?)] = [
            ("{not json", nil),
            (#"{"model": "m"}"#, "messages"),
            (#"{"messages": [{"role": "robot", "content": "x"}]}"#, "messages[0].role"),
            (#"{"messages": [{"role": "user", "content": "x"}], "n": 3}"#, "n"),
            (#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": "ten"}"#, "max_tokens"),
        ]
        for (json, param) in cases {
            let reply = try await offPool { try client.send("POST", "/v1/chat/completions", body: json) }
            XCTAssertEqual(reply.status, 400, json)
            let error = try reply.apiError()
            XCTAssertEqual(error.type, "invalid_request_error")
            XCTAssertEqual(error.param, JSONValue(param), json)
            XCTAssertFalse(error.message.isEmpty)
        }
    }

    func testPromptLongerThanTheContextIs400() async throws {
        let test = try await TestServer.start(ScriptedEngine(contextLength: 32))
        defer { Task { await test.stop() } }
        let client = test.client
        let long: JSONValue = ["messages": [["role": "user", "content": .string(String(repeating: "words ", count: 20))]], "max_tokens": 8]
        let reply = try await offPool { try client.chat(long) }
        XCTAssertEqual(reply.status, 400)
        let error = try reply.apiError()
        XCTAssertEqual(error.code, "context_length_exceeded")
        XCTAssertTrue(error.message.contains("maximum context length is 32 tokens"), error.message)
    }

    // MARK: - Scheduling

    func testRequestsBeyondParallelQueueAndAllFinish() async throws {
        let engine = ScriptedEngine(reply: "abcdef", holdFirstStep: true)
        let test = try await TestServer.start(engine, parallel: 2)
        defer { Task { await test.stop() } }
        let client = test.client
        let request = hello
        async let first = offPool { try client.chat(request) }
        // The first request is being stepped (held); queue two more behind it, then let it go.
        try await Self.waitUntil { engine.steppedBatchSizes.count == 1 }
        async let second = offPool { try client.chat(request) }
        async let third = offPool { try client.chat(request) }
        try await Self.waitUntil { test.server.scheduler.queuedCount == 2 }
        engine.releaseFirstStep()
        let replies = [try await first, try await second, try await third]
        for reply in replies {
            XCTAssertEqual(Self.firstChoice(try reply.json())?["message"]?["content"], "abcdef")
        }
        let sizes = engine.steppedBatchSizes
        XCTAssertEqual(sizes.max(), 2, "\(sizes)")
        XCTAssertEqual(sizes.reduce(0, +), 18, "three replies of six tokens, one step each")
        XCTAssertEqual(engine.retiredSequences, 3)
    }

    func testClientDisconnectCancelsItsGeneration() async throws {
        let engine = ScriptedEngine(reply: "la", endless: true)
        let test = try await TestServer.start(engine)
        defer { Task { await test.stop() } }
        let retired = expectation(description: "the endless sequence is retired")
        engine.onRetire = { retired.fulfill() }
        let request = body([("stream", true)]).jsonString
        let port = test.client.port
        try await offPool {
            let connection = try LoopbackClient(port: port).open("POST", "/v1/chat/completions", body: request)
            _ = connection.read(until: "\"content\":\"l")
            connection.close()
        }
        await fulfillment(of: [retired], timeout: 60)
        XCTAssertEqual(engine.retiredSequences, 1)
    }

    func testShutdownCancelsRunningGenerationsAndStopsListening() async throws {
        let engine = ScriptedEngine(reply: "la", endless: true)
        let test = try await TestServer.start(engine)
        let port = test.client.port
        let request = body([("stream", true)]).jsonString
        let connection = try await offPool {
            let connection = try LoopbackClient(port: port).open("POST", "/v1/chat/completions", body: request)
            _ = connection.read(until: "\"content\":\"l")
            return connection
        }
        await test.server.shutdown(gracePeriod: .zero)
        let rest = String(decoding: try await offPool { connection.readToEnd() }, as: UTF8.self)
        connection.close()
        XCTAssertTrue(rest.contains("shutting_down"), rest)
        XCTAssertEqual(engine.retiredSequences, 1)
        XCTAssertThrowsError(try LoopbackClient(port: port).send("GET", "/v1/models"))
    }

    // MARK: - Helpers

    static func firstChoice(_ json: JSONValue) -> JSONValue? {
        guard case let .array(choices)? = json["choices"] else { return nil }
        return choices.first
    }

    /// Polls a condition that another thread makes true (no timing is asserted; a hang fails after a minute).
    static func waitUntil(_ condition: @escaping () -> Bool) async throws {
        for _ in 0..<6000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("condition never became true")
    }
}

extension ChatServerTests {
    func testRequestsAfterShutdownAreRefusedWith503() async throws {
        let engine = ScriptedEngine()
        let scheduler = BatchScheduler(engine: engine, parallel: 1)
        scheduler.beginShutdown()
        await scheduler.drained()
        do {
            for try await _ in scheduler.submit(PreparedCompletion(promptTokens: [1], settings: GenerationSettings())) {}
            XCTFail("a request was accepted after shutdown")
        } catch SchedulerError.shuttingDown {
        }
        XCTAssertEqual(engine.steppedBatchSizes, [])
    }
}

// MARK: - HTTP/1.1 framing

extension ChatServerTests {
    /// Two requests on one keep-alive connection, the first sent only after the server's `100 Continue`.
    func testExpectContinueAndKeepAliveOnHTTP11() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Hi"))
        defer { Task { await test.stop() } }
        let port = test.client.port
        let body = hello.jsonString
        let (interim, first, second) = try await offPool { () -> (String, String, String) in
            let connection = try LoopbackClient.Connection(port: port)
            defer { connection.close() }
            try connection.write(Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8))
            let interim = String(decoding: connection.read(until: "\r\n\r\n"), as: UTF8.self)
            try connection.write(Array(body.utf8))
            let first = String(decoding: connection.read(until: "\"total_tokens\""), as: UTF8.self)
            try connection.write(Array("GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            let second = String(decoding: connection.readToEnd(), as: UTF8.self)
            return (interim, first, second)
        }
        XCTAssertTrue(interim.hasPrefix("HTTP/1.1 100 Continue"), interim)
        XCTAssertTrue(first.hasPrefix("HTTP/1.1 200 OK"), first)
        XCTAssertTrue(first.lowercased().contains("connection: keep-alive"), first)
        XCTAssertTrue(first.contains("\"content\":\"Hi\""), first)
        XCTAssertTrue(second.hasPrefix("HTTP/1.1 200 OK"), second)
        XCTAssertTrue(second.contains("\"scripted\""), second)
    }

    /// A streamed reply on HTTP/1.1 is chunked, and the connection stays usable after `[DONE]`.
    func testStreamIsChunkedOnHTTP11() async throws {
        let test = try await TestServer.start(ScriptedEngine(reply: "Hi"))
        defer { Task { await test.stop() } }
        let port = test.client.port
        let body = body([("stream", true)]).jsonString
        let reply = try await offPool { () -> String in
            let connection = try LoopbackClient.Connection(port: port)
            defer { connection.close() }
            try connection.write(Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
            return String(decoding: connection.read(until: "0\r\n\r\n"), as: UTF8.self)
        }
        XCTAssertTrue(reply.lowercased().contains("transfer-encoding: chunked"), reply)
        XCTAssertTrue(reply.lowercased().contains("content-type: text/event-stream"), reply)
        XCTAssertTrue(reply.contains("data: [DONE]\n\n"), reply)
        XCTAssertTrue(reply.hasSuffix("0\r\n\r\n"), "the last chunk ends the response: \(reply.suffix(40))")
    }
}
