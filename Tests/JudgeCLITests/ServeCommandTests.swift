import ChatCompletions
import Foundation
import HTTP
import OpenAIWire
import TestSupport
import XCTest

/// `judge serve` (the built binary) with SmolLM2: it listens, answers the chat-completions API through our
/// client, refuses a bad request with OpenAI's error JSON, refuses bad options before loading anything, and
/// stops cleanly on SIGTERM.
final class ServeCommandTests: XCTestCase {
    func testServesTheModelAndStopsOnSIGTERM() async throws {
        let judge = try JudgeBinary.locate()
        let model = try RealModelFile.smolLM2()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let server = try judge.start(["serve", "--model", model.path, "--port", "0", "--parallel", "2", "--context", "512",
                                      "--model-id", "smol", "--grace", "5"], in: directory)
        defer { if server.process.isRunning { server.send(SIGKILL) } }
        var port: Int?
        try waitUntil("judge serve says where it listens") {
            port = server.errors.split(separator: "\n").lazy
                .compactMap { $0.hasPrefix("listening on http://127.0.0.1:") ? Int($0.split(separator: ":").last!) : nil }.first
            return port != nil || !server.process.isRunning
        }
        let base = try XCTUnwrap(URL(string: "http://127.0.0.1:\(try XCTUnwrap(port, server.errors))/v1"))

        // A greedy completion through the judge's own client.
        let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 2))
        let client = ChatCompletionsClient(baseURL: base, apiKeyEnvironmentVariable: nil, http: http, retry: .none)
        let reply = try await client.complete(ChatCompletionRequest(model: "smol", messages: [.user("Say hello.")],
                                                                    temperature: 0, maxTokens: 8, seed: 1))
        XCTAssertFalse(reply.content.isEmpty)
        XCTAssertEqual(reply.model, "smol")
        let completionTokens = try XCTUnwrap(reply.usage?.completionTokens)
        XCTAssertTrue((1...8).contains(completionTokens), "\(completionTokens) completion tokens")

        // A bad request: a 400 with OpenAI's error JSON naming the field.
        let bad = try await http.send(HTTPRequest(method: .post, url: base.appendingPathComponent("chat/completions"),
                                                  headers: ["Content-Type": "application/json"],
                                                  body: Data(#"{"messages": [{"role": "user", "content": "hi"}], "temperature": 3}"#.utf8)))
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(APIError.message(in: bad.body)?.contains("'temperature'") ?? false, bad.text)

        server.send(SIGTERM)
        let (status, signalled) = server.wait()
        XCTAssertFalse(signalled)
        XCTAssertEqual(status, 0, server.errors)
        XCTAssertTrue(server.errors.contains("SIGTERM: shutting down"), server.errors)
        XCTAssertTrue(server.errors.hasSuffix("stopped\n"), server.errors)
    }

    /// The binary's exit code for a refused option (each check in-process: ValidationTests.testServe).
    func testAMissingModelIsRefusedWithTheUsageExitCode() throws {
        let judge = try JudgeBinary.locate()
        let missing = try judge.run(["serve", "--model", "/nonexistent/model.gguf"], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(missing.status, 64, missing.stderr)   // EX_USAGE: a ValidationError
        XCTAssertTrue(missing.stderr.contains("--model /nonexistent/model.gguf: no such file"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains("listening"), missing.stderr)
    }
}
