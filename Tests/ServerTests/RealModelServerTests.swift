import Foundation
import OpenAIWire
import TestSupport
@testable import Server
import XCTest

/// The server over the real model (SmolLM2-135M): replies, streaming, logprobs, seeds, batching and the
/// official `openai` Python client. Generations stay short (≤ 16 tokens).
final class RealModelServerTests: XCTestCase {
    private let question: JSONValue = ["role": "user", "content": "What is the capital of France?"]

    private func chat(_ test: TestServer, _ extra: [(String, JSONValue)]) async throws -> JSONValue {
        let body = JSONValue.object([(key: "messages", value: [question])] + extra.map { (key: $0.0, value: $0.1) })
        let client = test.client
        let reply = try await offPool { try client.chat(body) }
        XCTAssertEqual(reply.status, 200, reply.text)
        return try reply.json()
    }

    private static func content(_ json: JSONValue) -> String? {
        guard case let .string(text)? = ChatServerTests.firstChoice(json)?["message"]?["content"] else { return nil }
        return text
    }

    private static func integer(_ json: JSONValue?) -> Int? {
        guard case let .integer(value)? = json else { return nil }
        return value
    }

    // MARK: - Replies

    func testGreedyReplyStreamedAndPlainAgreeWithUsage() async throws {
        let test = try await TestServer.start(RealModel.engine())
        defer { Task { await test.stop() } }
        let plain = try await chat(test, [("max_tokens", 12), ("temperature", 0)])
        let text = try XCTUnwrap(Self.content(plain))
        XCTAssertFalse(text.isEmpty)
        XCTAssertEqual(plain["model"], "SmolLM2-135M-Instruct.Q4_1")
        let usage = try XCTUnwrap(plain["usage"])
        let prompt = try XCTUnwrap(Self.integer(usage["prompt_tokens"]))
        let completion = try XCTUnwrap(Self.integer(usage["completion_tokens"]))
        XCTAssertGreaterThan(prompt, 10, "the ChatML prompt (default system message included)")
        XCTAssertTrue((1...12).contains(completion))
        XCTAssertEqual(Self.integer(usage["total_tokens"]), prompt + completion)
        let finish = ChatServerTests.firstChoice(plain)?["finish_reason"]
        XCTAssertEqual(finish, completion == 12 ? "length" : "stop")

        let client = test.client
        let body: JSONValue = ["messages": [question], "max_tokens": 12, "temperature": 0, "stream": true,
                               "stream_options": ["include_usage": true]]
        let streamed = try await offPool { try client.chat(body) }
        XCTAssertEqual(streamed.events.last, "[DONE]")
        let chunks = try streamed.events.dropLast().map { try JSONValue.parse(Data($0.utf8)) }
        let pieces = chunks.compactMap { chunk -> String? in
            guard case let .string(piece)? = ChatServerTests.firstChoice(chunk)?["delta"]?["content"] else { return nil }
            return piece
        }
        XCTAssertEqual(pieces.joined(), text, "streaming and plain greedy replies differ")
        XCTAssertEqual(chunks.last?["usage"]?["completion_tokens"], .integer(completion))
        XCTAssertEqual(chunks.dropLast().last.flatMap { ChatServerTests.firstChoice($0)?["finish_reason"] }, finish)
    }

    func testLogprobsAreOpenAIsShapeAndGreedyPicksTheTopToken() async throws {
        let test = try await TestServer.start(RealModel.engine())
        defer { Task { await test.stop() } }
        let json = try await chat(test, [("max_tokens", 6), ("temperature", 0), ("logprobs", true), ("top_logprobs", 5)])
        guard case let .array(content)? = ChatServerTests.firstChoice(json)?["logprobs"]?["content"] else {
            return XCTFail("no logprobs.content in \(json.jsonString)")
        }
        let completion = try XCTUnwrap(Self.integer(json["usage"]?["completion_tokens"]))
        let stoppedByModel = ChatServerTests.firstChoice(json)?["finish_reason"] == "stop"
        XCTAssertEqual(content.count, stoppedByModel ? completion - 1 : completion, "one entry per token (not the end token)")
        var spelled: [UInt8] = []
        for entry in content {
            guard case let .number(logprob)? = entry["logprob"], case let .array(bytes)? = entry["bytes"],
                  case let .string(token)? = entry["token"], case let .array(top)? = entry["top_logprobs"] else {
                return XCTFail("malformed entry \(entry.jsonString)")
            }
            let raw = bytes.compactMap { Self.integer($0) }.map(UInt8.init)
            XCTAssertEqual(String(decoding: raw, as: UTF8.self), token)
            spelled += raw
            XCTAssertLessThanOrEqual(logprob, 0)
            XCTAssertEqual(top.count, 5)
            let topLogprobs = top.compactMap { alternative -> Double? in
                guard case let .number(value)? = alternative["logprob"] else { return nil }
                return value
            }
            XCTAssertEqual(topLogprobs, topLogprobs.sorted(by: >), "most likely first")
            XCTAssertEqual(top.first?["token"], .string(token), "greedy decoding picks the most likely token")
            XCTAssertEqual(topLogprobs.first ?? 1, logprob, accuracy: 1e-6)
            let mass = topLogprobs.map(exp).reduce(0, +)
            XCTAssertLessThanOrEqual(mass, 1 + 1e-4)
        }
        XCTAssertEqual(String(decoding: spelled, as: UTF8.self), Self.content(json), "the tokens spell the reply")
    }

    func testSameSeedSameTextWhenSampling() async throws {
        let test = try await TestServer.start(RealModel.engine())
        defer { Task { await test.stop() } }
        let settings: [(String, JSONValue)] = [("max_tokens", 16), ("temperature", 1.0), ("seed", 20261125)]
        let first = try await chat(test, settings)
        let second = try await chat(test, settings)
        XCTAssertNotNil(Self.content(first))
        XCTAssertEqual(Self.content(first), Self.content(second))
    }

    func testStopStringCutsTheGreedyReply() async throws {
        let test = try await TestServer.start(RealModel.engine())
        defer { Task { await test.stop() } }
        let plain = try await chat(test, [("max_tokens", 12), ("temperature", 0)])
        let full = try XCTUnwrap(Self.content(plain))
        let characters = Array(full)
        guard characters.count >= 5 else { return XCTFail("the greedy reply \(full) is too short to cut") }
        let stop = String(characters[3...4])
        let cut = try await chat(test, [("max_tokens", 12), ("temperature", 0), ("stop", [.string(stop)])])
        XCTAssertEqual(Self.content(cut), String(full[..<full.range(of: stop)!.lowerBound]))
        XCTAssertEqual(ChatServerTests.firstChoice(cut)?["finish_reason"], "stop")
    }

    // MARK: - Limits and batching

    func testPromptLongerThanTheContextIs400() async throws {
        let test = try await TestServer.start(RealModel.engine(contextLength: 64))
        defer { Task { await test.stop() } }
        let client = test.client
        let long: JSONValue = ["messages": [["role": "user", "content": .string(String(repeating: "judge the answers ", count: 40))]]]
        let reply = try await offPool { try client.chat(long) }
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(try reply.apiError().code, "context_length_exceeded")
        XCTAssertTrue(try reply.apiError().message.contains("maximum context length is 64 tokens"))
    }

    func testConcurrentRequestsBatchedGiveTheSameGreedyText() async throws {
        let test = try await TestServer.start(RealModel.engine(), parallel: 2)
        defer { Task { await test.stop() } }
        let single = try await chat(test, [("max_tokens", 8), ("temperature", 0)])
        let alone = try XCTUnwrap(Self.content(single))
        let client = test.client
        let body: JSONValue = ["messages": [question], "max_tokens": 8, "temperature": 0]
        async let a = offPool { try client.chat(body) }
        async let b = offPool { try client.chat(body) }
        async let c = offPool { try client.chat(body) }
        for reply in [try await a, try await b, try await c] {
            XCTAssertEqual(Self.content(try reply.json()), alone)
        }
    }

    // MARK: - The official client

    func testOfficialOpenAIPythonClient() async throws {
        try await checkOfficialClient(RealModel.engine())
    }

    /// The same client checks against Qwen2.5-Coder-1.5B-Instruct (qwen2; `scripts/bootstrap.sh --test`).
    func testOfficialOpenAIPythonClientWithQwen2() async throws {
        try await checkOfficialClient(LocalEngine(modelURL: RealModelFile.qwen25Coder(), contextLength: 512))
    }

    private func checkOfficialClient(_ engine: LocalEngine) async throws {
        let python = RealModel.repositoryRoot.appendingPathComponent(".build-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return XCTFail("\(python) is missing: run `bash scripts/bootstrap.sh --test` (it creates the venv with openai)")
        }
        let test = try await TestServer.start(engine, parallel: 2)
        defer { Task { await test.stop() } }
        let script = RealModel.repositoryRoot.appendingPathComponent("scripts/test-clients/openai_chat_server_check.py").path
        let port = test.client.port
        let (status, output) = try await offPool { () -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, "--base-url", "http://127.0.0.1:\(port)/v1"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("all checks passed"), output)
    }
}
