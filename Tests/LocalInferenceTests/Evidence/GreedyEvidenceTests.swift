import Foundation
import XCTest
@testable import LocalInference

/// Issue #2, point 8: greedy completions identical to llama.cpp's for every committed prompt, each chosen
/// because llama.cpp's top-1/top-2 logit margin stays above 1.0 at every step (near-ties legitimately flip).
final class GreedyEvidenceTests: XCTestCase {
    // MARK: - Greedy completions

    func testGreedyCompletionsMatchLlamaCpp() throws {
        let file = try GGUFFile(url: try TestModel.smolLM2())
        let model = try LlamaModel(file: file)
        let tokenizer = try Tokenizer(file: file)
        let reference = try LlamaCppReference.load(LlamaCppReference.GreedyFixture.self,
                                                   from: try TestModel.fixture("reference/greedy.json"))
        XCTAssertGreaterThanOrEqual(reference.prompts.count, 10)
        let template = ChatTemplate.detect(file: file)
        XCTAssertEqual(template.defaultSystem, reference.system)
        let generator = try Generator(model: model, tokenizer: tokenizer, contextLength: 512)
        var identical = 0
        for item in reference.prompts {
            let promptTokens = tokenizer.encode(template.render([.user(item.prompt)], addGenerationPrompt: true))
            XCTAssertEqual(promptTokens, item.promptTokens, "prompt tokens differ for \(item.prompt.debugDescription)")
            let completion = try generator.complete(
                prompt: promptTokens, parameters: GenerationParameters(maxTokens: reference.maxTokens, sampling: .greedy))
            var tokens = completion.tokens
            if completion.finishReason == .stop, let last = tokens.last, tokenizer.isEndOfGeneration(last) { tokens.removeLast() }
            XCTAssertEqual(tokens, item.completionTokens,
                           "\(item.prompt.debugDescription): ours \(completion.text.debugDescription), llama.cpp \(item.completion.debugDescription)")
            XCTAssertEqual(completion.finishReason.rawValue, item.finishReason, item.prompt)
            if tokens == item.completionTokens { identical += 1 }
        }
        print("evidence: \(identical)/\(reference.prompts.count) greedy completions identical to llama.cpp "
              + "(chosen from \(reference.tried) prompts, \(reference.qualified) qualified)")
    }
}
