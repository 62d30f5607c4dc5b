import XCTest
@testable import LocalInference

/// `BatchGenerator` on the synthetic model: the same completions as lone generators, greedy and seeded.
final class BatchGeneratorTests: XCTestCase {
    /// A byte-level-free SentencePiece vocabulary of the synthetic model's 48 tokens (ids 0–2 special).
    private func tokenizer() throws -> Tokenizer {
        let pieces = ["<unk>", "<s>", "</s>"] + (3..<48).map { "▁w\($0)" }
        return try Tokenizer(configuration: TokenizerConfiguration(
            model: .llama, tokens: pieces, scores: [Float](repeating: 0, count: pieces.count),
            tokenTypes: [2, 3, 3] + [Int32](repeating: 1, count: 45), bosID: 1, eosID: 2, unknownID: 0))
    }

    private let prompts: [[Int32]] = [[1, 5, 9], [1, 40, 41, 42, 43], [1, 7], [1, 30, 3, 3], [1, 12, 19, 22, 8, 6, 11]]

    private func alone(_ model: LlamaModel, _ parameters: GenerationParameters) throws -> [Completion] {
        let generator = try Generator(model: model, tokenizer: tokenizer(), contextLength: 64)
        return try prompts.map { try generator.complete(prompt: $0, parameters: parameters) }
    }

    private func batched(_ model: LlamaModel, _ parameters: GenerationParameters, sequences: Int) throws -> [Completion] {
        let batch = try BatchGenerator(model: model, tokenizer: tokenizer(), sequences: sequences, contextLength: 64)
        var results = [Completion?](repeating: nil, count: prompts.count)
        try batch.complete(prompts: prompts, parameters: parameters) { index, result in
            XCTAssertNil(results[index], "prompt \(index) completed twice")
            results[index] = try result.get()
        }
        return results.map { $0! }
    }

    func testGreedyBatchEqualsLoneGenerators() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let parameters = GenerationParameters(maxTokens: 10)
        let want = try alone(model, parameters)
        // Fewer sequences than prompts: finished sequences take the waiting prompts.
        XCTAssertEqual(try batched(model, parameters, sequences: 3), want)
        XCTAssertEqual(try batched(model, parameters, sequences: 5), want)
        XCTAssertGreaterThan(Set(want.flatMap(\.tokens)).count, 3)
    }

    /// `shouldStop` ends the call before the next step: running sequences are dropped unreported (not run
    /// to their end), and a later call completes every prompt as an uninterrupted one would.
    func testStopEndsRunningSequencesPromptly() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let parameters = GenerationParameters(maxTokens: 10)
        let want = try alone(model, parameters)
        let batch = try BatchGenerator(model: model, tokenizer: tokenizer(), sequences: 3, contextLength: 64)
        var checks = 0, reported: [Int] = []
        try batch.complete(prompts: prompts, parameters: parameters, shouldStop: { checks += 1; return checks > 6 }) { index, _ in
            reported.append(index)
        }
        XCTAssertLessThanOrEqual(checks, 7, "stopped at the first check that said so")
        XCTAssertTrue(reported.isEmpty, "no sequence reached 10 tokens in the steps before the stop: \(reported)")
        var results = [Completion?](repeating: nil, count: prompts.count)
        try batch.complete(prompts: prompts, parameters: parameters) { index, result in results[index] = try result.get() }
        XCTAssertEqual(results.map { $0! }, want)
    }

    func testSeededSamplingBatchEqualsLoneGenerators() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let parameters = GenerationParameters(maxTokens: 8, sampling: SamplingParameters(temperature: 1.0, seed: 7),
                                              topLogprobs: 2)
        let want = try alone(model, parameters)
        let got = try batched(model, parameters, sequences: 2)
        // Same tokens and text; log-probabilities equal up to summation order (the batch may go through sgemm).
        XCTAssertEqual(got.map(\.tokens), want.map(\.tokens))
        XCTAssertEqual(got.map(\.text), want.map(\.text))
        XCTAssertEqual(got.map(\.finishReason), want.map(\.finishReason))
        for (g, w) in zip(got.flatMap(\.logprobs), want.flatMap(\.logprobs)) {
            XCTAssertEqual(g.chosen.token, w.chosen.token)
            XCTAssertEqual(g.chosen.logprob, w.chosen.logprob, accuracy: 1e-3)
        }
        XCTAssertEqual(got[0].logprobs.count, got[0].tokens.count)
    }

    func testAPromptThatDoesNotFitFailsAloneAndTheOthersGoOn() throws {
        let model = try LlamaModel(file: SyntheticLlama().file())
        let batch = try BatchGenerator(model: model, tokenizer: tokenizer(), sequences: 2, contextLength: 8)
        var outcomes: [Int: Bool] = [:]
        try batch.complete(prompts: [[1, 5], [Int32](repeating: 4, count: 9), []], parameters: .init(maxTokens: 3)) { i, result in
            if case .success = result { outcomes[i] = true } else { outcomes[i] = false }
        }
        XCTAssertEqual(outcomes, [0: true, 1: false, 2: false])
    }
}
