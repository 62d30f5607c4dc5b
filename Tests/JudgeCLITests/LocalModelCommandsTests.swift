import ArgumentParser
import Foundation
import LocalInference
import TestSupport
import XCTest
@testable import JudgeCLI

/// `judge run`, `tokenize`, `perplexity` and `bench-model` on the real model (SmolLM2-135M), run in
/// process with stdout captured: each command's output agrees with the library it wraps.
final class LocalModelCommandsTests: XCTestCase {
    /// The model fetched by `scripts/bootstrap.sh` (`JUDGE_TEST_MODEL` overrides it); missing: the test fails.
    private func modelPath() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["JUDGE_TEST_MODEL"]
            ?? root.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("model not found at \(path): run scripts/bootstrap.sh (or set JUDGE_TEST_MODEL)")
            throw XCTSkip("model missing")
        }
        return path
    }

    /// What `body` writes to stdout (small outputs only: the pipe is read after `body` returns).
    private func standardOutput(of body: () async throws -> Void) async throws -> String {
        fflush(stdout)
        let pipe = Pipe()
        let saved = dup(STDOUT_FILENO)
        dup2(pipe.fileHandleForWriting.fileDescriptor, STDOUT_FILENO)
        var failure: Error?
        do { try await body() } catch { failure = error }
        fflush(stdout)
        dup2(saved, STDOUT_FILENO)
        close(saved)
        pipe.fileHandleForWriting.closeFile()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        if let failure { throw failure }
        return String(decoding: data, as: UTF8.self)
    }

    private func output<C: AsyncParsableCommand>(_ type: C.Type, _ arguments: [String]) async throws -> String {
        var command = try type.parse(arguments)
        return try await standardOutput { try await command.run() }
    }

    // MARK: - bench-model

    func testBenchModelJSONReportsBothRatesForTheBatch() async throws {
        let text = try await output(BenchModelCommand.self,
                                    ["--model", modelPath(), "-p", "8", "-n", "3", "--batch", "2", "--threads", "2", "-r", "1", "--json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
        XCTAssertEqual(Set(json.keys), ["pp_tokens_per_s", "tg_tokens_per_s", "batch", "threads", "cpu", "kernels", "load_s"])
        XCTAssertFalse(try XCTUnwrap(json["cpu"] as? String).isEmpty)
        XCTAssertFalse(try XCTUnwrap(json["kernels"] as? String).isEmpty)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(json["load_s"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(json["pp_tokens_per_s"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(json["tg_tokens_per_s"] as? Double), 0)
        XCTAssertEqual(json["batch"] as? Int, 2)
        XCTAssertEqual(json["threads"] as? Int, 2)
    }

    func testBenchModelPlainOutputNamesTheTests() async throws {
        let text = try await output(BenchModelCommand.self, ["--model", modelPath(), "-p", "4", "-n", "0", "-r", "1"])
        XCTAssertTrue(text.hasPrefix("pp4: "), text)
        XCTAssertTrue(text.hasSuffix(" tokens/s\n"), text)
        XCTAssertFalse(text.contains("tg"), text)
    }

    func testBenchModelRejectsBadOptions() throws {
        let model = try modelPath()
        for (arguments, message) in [
            (["--batch", "0"], "--batch 0"),
            (["-p", "0", "-n", "0"], "nothing to measure"),
            (["--threads", "0"], "--threads 0"),
            (["-r", "0"], "-r 0"),
        ] {
            XCTAssertThrowsError(try BenchModelCommand.parse(["--model", model] + arguments)) { error in
                XCTAssertTrue(BenchModelCommand.message(for: error).contains(message), "\(arguments): \(BenchModelCommand.message(for: error))")
            }
        }
        XCTAssertThrowsError(try BenchModelCommand.parse(["--model", "/nonexistent.gguf"])) { error in
            XCTAssertTrue(BenchModelCommand.message(for: error).contains("no such file"))
        }
    }

    // MARK: - tokenize, run, perplexity

    func testTokenizePrintsTheTokenizersIDs() async throws {
        let path = try modelPath()
        let text = "Hello world, <|im_start|>user 123"
        let printed = try await output(TokenizeCommand.self, ["--model", path, text])
        let tokenizer = try Tokenizer(file: GGUFFile(url: URL(fileURLWithPath: path)))
        XCTAssertEqual(printed, tokenizer.encode(text).map(String.init).joined(separator: " ") + "\n")
    }

    /// llama.cpp tokenizes a leading U+FEFF like any other character; `--file` must not drop it.
    func testTokenizeFileKeepsALeadingByteOrderMark() async throws {
        let path = try modelPath()
        let text = "\u{FEFF}Hello world"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("judge-cli-bom-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try await output(TokenizeCommand.self, ["--model", path, "--file", file.path])
        let tokenizer = try Tokenizer(file: GGUFFile(url: URL(fileURLWithPath: path)))
        XCTAssertNotEqual(tokenizer.encode(text), tokenizer.encode("Hello world"))
        XCTAssertEqual(printed, tokenizer.encode(text).map(String.init).joined(separator: " ") + "\n")
    }

    /// `run`, `tokenize`, `perplexity` and `bench-model` on the other two families (models from
    /// `scripts/bootstrap.sh --test`): each prints what the library computes.
    func testEveryCommandRunsOnQwen2AndGemma3() async throws {
        for path in [try RealModelFile.qwen25Coder().path, try RealModelFile.gemma3().path] {
            let file = try GGUFFile(url: URL(fileURLWithPath: path))
            let tokenizer = try Tokenizer(file: file)
            let printed = try await output(TokenizeCommand.self, ["--model", path, "Hello world, 123"])
            XCTAssertEqual(printed, tokenizer.encode("Hello world, 123").map(String.init).joined(separator: " ") + "\n")

            let run = try await output(RunCommand.self, ["--model", path, "--prompt", "Name a colour.", "--temperature", "0",
                                                          "--max-tokens", "6", "--context", "128"])
            let prompt = ChatTemplate.detect(file: file).render([.user("Name a colour.")], addGenerationPrompt: true)
            let generator = try Generator(model: LlamaModel(file: file), tokenizer: tokenizer, contextLength: 128)
            let completion = try generator.complete(prompt: tokenizer.encode(prompt), parameters: GenerationParameters(maxTokens: 6))
            XCTAssertEqual(run, completion.text + "\n", path)

            let text = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 4)
            let textFile = FileManager.default.temporaryDirectory.appendingPathComponent("judge-cli-ppl-\(UUID().uuidString).txt")
            try Data(text.utf8).write(to: textFile)
            defer { try? FileManager.default.removeItem(at: textFile) }
            let ppl = try await output(PerplexityCommand.self, ["--model", path, "--file", textFile.path, "--context", "16", "--json"])
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ppl.utf8)) as? [String: Any], ppl)
            let want = try Perplexity(model: LlamaModel(file: file), tokenizer: tokenizer, context: 16).measure(text: text)
            XCTAssertEqual(try XCTUnwrap(json["perplexity"] as? Double), want.perplexity, accuracy: 1e-9 * want.perplexity)

            let bench = try await output(BenchModelCommand.self, ["--model", path, "-p", "8", "-n", "2", "-r", "1", "--json"])
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(bench.utf8)) as? [String: Any], bench)
        }
    }

    func testGreedyRunPrintsTheGeneratorsCompletion() async throws {
        let path = try modelPath()
        let printed = try await output(RunCommand.self, ["--model", path, "--prompt", "What is the capital of France?",
                                                          "--temperature", "0", "--max-tokens", "12", "--context", "256"])
        let file = try GGUFFile(url: URL(fileURLWithPath: path))
        let tokenizer = try Tokenizer(file: file)
        let prompt = ChatTemplate.detect(file: file).render([.user("What is the capital of France?")], addGenerationPrompt: true)
        let generator = try Generator(model: LlamaModel(file: file), tokenizer: tokenizer, contextLength: 256)
        let completion = try generator.complete(prompt: tokenizer.encode(prompt), parameters: GenerationParameters(maxTokens: 12))
        XCTAssertFalse(completion.text.isEmpty)
        XCTAssertEqual(printed, completion.text + "\n")
    }

    func testPerplexityJSONMatchesTheLibrary() async throws {
        let path = try modelPath()
        let text = String(repeating: "The quick brown fox jumps over the lazy dog. A stitch in time saves nine. ", count: 4)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("judge-cli-ppl-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try await output(PerplexityCommand.self, ["--model", path, "--file", file.path, "--context", "16", "--json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any], printed)
        let gguf = try GGUFFile(url: URL(fileURLWithPath: path))
        let want = try Perplexity(model: LlamaModel(file: gguf), tokenizer: Tokenizer(file: gguf), context: 16).measure(text: text)
        XCTAssertEqual(try XCTUnwrap(json["perplexity"] as? Double), want.perplexity, accuracy: 1e-9 * want.perplexity)
        XCTAssertEqual(json["tokens"] as? Int, want.tokens)
        XCTAssertGreaterThan(want.perplexity, 1)
    }
}
