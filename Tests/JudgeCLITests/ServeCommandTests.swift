import ChatCompletions
import Foundation
import HTTP
import LocalInference
import OpenAIWire
import TestSupport
import XCTest

/// `judge serve` (the built binary) with SmolLM2: it listens, answers the chat-completions API through our
/// client, refuses a bad request with OpenAI's error JSON, refuses bad options before loading anything, and
/// stops cleanly on SIGTERM. With Qwen2.5-Coder (qwen2) and Gemma 3 (gemma3) it serves the library's greedy reply.
final class ServeCommandTests: XCTestCase {
    /// `judge serve --model MODEL --port 0 …` started in a temporary directory, and its /v1 URL once it listens.
    private func startServer(_ model: URL, modelID: String, context: Int, in directory: URL) throws -> (JudgeBinary.Run, URL) {
        let server = try JudgeBinary.locate().start(["serve", "--model", model.path, "--port", "0", "--parallel", "2",
                                                     "--context", String(context), "--model-id", modelID, "--grace", "5"],
                                                    in: directory)
        var port: Int?
        do {
            try waitUntil("judge serve says where it listens") {
                port = server.errors.split(separator: "\n").lazy
                    .compactMap { $0.hasPrefix("listening on http://127.0.0.1:") ? Int($0.split(separator: ":").last!) : nil }.first
                return port != nil || !server.process.isRunning
            }
            return (server, try XCTUnwrap(URL(string: "http://127.0.0.1:\(try XCTUnwrap(port, server.errors))/v1")))
        } catch {
            if server.process.isRunning { server.send(SIGKILL) }
            throw error
        }
    }

    /// SIGTERM: exit status 0, after saying so.
    private func stop(_ server: JudgeBinary.Run, file: StaticString = #filePath, line: UInt = #line) {
        server.send(SIGTERM)
        let (status, signalled) = server.wait()
        XCTAssertFalse(signalled, file: file, line: line)
        XCTAssertEqual(status, 0, server.errors, file: file, line: line)
        XCTAssertTrue(server.errors.contains("SIGTERM: shutting down"), server.errors, file: file, line: line)
        XCTAssertTrue(server.errors.hasSuffix("stopped\n"), server.errors, file: file, line: line)
    }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    func testServesTheModelAndStopsOnSIGTERM() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (server, base) = try startServer(try RealModelFile.smolLM2(), modelID: "smol", context: 512, in: directory)
        defer { if server.process.isRunning { server.send(SIGKILL) } }

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

        stop(server)
    }

    /// Issue #16, point 6: `judge serve` on the other two families (`scripts/bootstrap.sh --test`): a greedy
    /// reply of a few tokens equal to the library's (the model's chat template, its default system message).
    func testServesQwen2AndGemma3() async throws {
        for (model, id) in [(try RealModelFile.qwen25Coder(), "qwen"), (try RealModelFile.gemma3(), "gemma")] {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let (server, base) = try startServer(model, modelID: id, context: 256, in: directory)
            defer { if server.process.isRunning { server.send(SIGKILL) } }

            let http = HTTPClient(configuration: .init(maxConcurrentTransfers: 1))
            let client = ChatCompletionsClient(baseURL: base, apiKeyEnvironmentVariable: nil, http: http, retry: .none)
            let reply = try await client.complete(ChatCompletionRequest(model: id, messages: [.user("Name a colour.")],
                                                                        temperature: 0, maxTokens: 6, seed: 1))
            XCTAssertEqual(reply.model, id)

            let file = try GGUFFile(url: model)
            let tokenizer = try Tokenizer(file: file)
            let prompt = ChatTemplate.detect(file: file).render([.user("Name a colour.")], addGenerationPrompt: true)
            let generator = try Generator(model: LlamaModel(file: file), tokenizer: tokenizer, contextLength: 256)
            let want = try generator.complete(prompt: tokenizer.encode(prompt), parameters: GenerationParameters(maxTokens: 6))
            XCTAssertEqual(reply.content, want.text, model.lastPathComponent)
            stop(server)
        }
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
