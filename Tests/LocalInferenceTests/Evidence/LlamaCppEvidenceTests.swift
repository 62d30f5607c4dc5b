import Foundation
import XCTest
@testable import LocalInference

/// Issue #2, point 8: the engine against llama.cpp on the real model (SmolLM2-135M-Instruct Q4_1).
///
/// Tolerances come from the issue: perplexity within 1 %; next-token argmax equal at ≥ 99 % of the positions
/// where llama.cpp's top-1/top-2 margin exceeds 0.2 (llama.cpp rounds activations to 8 bits inside its dot
/// products, so near-ties legitimately flip); greedy completions are in GreedyEvidenceTests.
final class LlamaCppEvidenceTests: XCTestCase {
    // MARK: - Perplexity and teacher-forced argmax

    /// Prompt windows as prompts run: through sgemm in fp32.
    func testPerplexityAndNextTokenArgmaxMatchLlamaCpp() throws {
        try EvidenceCheck.perplexityAndArgmax(.smolLM2, gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch, path: "sgemm")
    }

    /// The same windows through the integer kernels of decoding (activations quantized to 8 bits per
    /// block, as llama.cpp does), which otherwise only greedy generation exercises.
    func testIntegerKernelsMatchLlamaCppToo() throws {
        try EvidenceCheck.perplexityAndArgmax(.smolLM2, gemmThreshold: .max, path: "integer kernels")
    }
}

/// The checks against llama.cpp's fixtures, for any model folder.
enum EvidenceCheck {
    /// Index of the largest logit (the lowest index among equals).
    static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for index in 1..<logits.count where logits[index] > logits[best] { best = index }
        return Int32(best)
    }

    /// Perplexity within 1 % of llama.cpp's, and the teacher-forced argmax equal at ≥ 99 % of the positions
    /// where llama.cpp's margin exceeds 0.2, over the folder's perplexity text.
    static func perplexityAndArgmax(_ folder: LlamaCppReference.Folder, gemmThreshold: Int, repack: Bool = true, path: String,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        let gguf = try GGUFFile(url: try folder.model())
        let model = try LlamaModel(file: gguf, engine: EngineConfiguration(repack: repack)), tokenizer = try Tokenizer(file: gguf)
        let reference = try LlamaCppReference.load(LlamaCppReference.PerplexityFixture.self,
                                                   from: try TestModel.fixture("\(folder.rawValue)/perplexity.json"))
        let text = try String(contentsOf: try TestModel.fixture("reference/\(reference.text ?? "perplexity.txt")"), encoding: .utf8)
        let tokens = tokenizer.encode(text, addSpecial: nil, parseSpecial: false)
        XCTAssertEqual(tokens, reference.tokenIds, "the text tokenizes differently from llama.cpp", file: file, line: line)
        XCTAssertEqual(tokens.count, reference.tokens, file: file, line: line)

        // One pass: perplexity over the full windows, the argmax at every position of them on the way.
        var ours = [Int32](repeating: -1, count: tokens.count)
        let pass = ForwardPass(model: model, capacity: reference.context)
        pass.gemmThreshold = gemmThreshold
        let perplexity = Perplexity(predictor: try InferenceContext(model: model, contextLength: reference.context, pass: pass),
                                    tokenizer: tokenizer)
        let result = try perplexity.measure(tokens: tokens, progress: nil) { start, offset, logits in
            ours[start + offset] = argmax(logits)
        }
        // The tail window, shorter than the context, is not part of the perplexity.
        let covered = result.windows * reference.context
        if covered < tokens.count {
            let tail = ForwardPass(model: model, capacity: reference.context)
            tail.gemmThreshold = gemmThreshold
            let context = try InferenceContext(model: model, contextLength: reference.context, pass: tail)
            var window = Array(tokens[covered...])
            if tokenizer.addsBOS, let bos = tokenizer.bos { window[0] = bos }   // as the script evaluates it
            try context.evaluate(window, allLogits: true)
            for offset in 0..<(tokens.count - covered) { ours[covered + offset] = argmax(context.logits(at: offset)) }
        }

        XCTAssertEqual(result.windows, reference.chunks, file: file, line: line)
        XCTAssertEqual(result.scoredTokens, reference.scoredTokens, file: file, line: line)
        let relative = abs(result.perplexity - reference.perplexity) / reference.perplexity
        XCTAssertLessThan(relative, 0.01, "perplexity \(result.perplexity) vs llama.cpp \(reference.perplexity)", file: file, line: line)

        let confident = reference.margin.indices.filter { reference.margin[$0] > 0.2 }
        let agree = confident.filter { ours[$0] == reference.argmax[$0] }.count
        let agreeAll = ours.indices.filter { ours[$0] == reference.argmax[$0] }.count
        let agreement = Double(agree) / Double(confident.count)
        XCTAssertGreaterThanOrEqual(agreement, 0.99, "argmax agrees at \(agree) of \(confident.count) confident positions",
                                    file: file, line: line)
        print(String(format: "evidence (\(reference.model), \(path)): perplexity %.4f vs llama.cpp %.4f (%+.3f %%) over %d tokens; argmax agrees at %d/%d positions with margin > 0.2 (%.2f %%), %d/%d overall (%.2f %%)",
                     result.perplexity, reference.perplexity, 100 * (result.perplexity / reference.perplexity - 1), tokens.count,
                     agree, confident.count, 100 * agreement, agreeAll, ours.count,
                     100 * Double(agreeAll) / Double(ours.count)))
    }

    /// llama.cpp's ids (special tokens parsed and as text) for every string of the committed corpus, from
    /// Fixtures/tokenizer/`fixture` (scripts/reference/tokenizer_reference.py).
    static func tokenization(model: URL, fixture: String, file: StaticString = #filePath, line: UInt = #line) throws {
        struct Reference: Decodable {
            struct Case: Decodable { let text: String; let ids: [Int32]; let ids_no_special: [Int32] }
            let vocabulary_size: Int
            let end_of_generation: [Int32]
            let cases: [Case]
        }
        let tokenizer = try Tokenizer(file: GGUFFile(url: model))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestModel.fixture("tokenizer/\(fixture)")))
        XCTAssertGreaterThanOrEqual(reference.cases.count, 200, file: file, line: line)
        XCTAssertEqual(tokenizer.vocabularySize, reference.vocabulary_size, file: file, line: line)
        XCTAssertEqual((0..<Int32(tokenizer.vocabularySize)).filter(tokenizer.isEndOfGeneration), reference.end_of_generation,
                       file: file, line: line)
        var identical = 0
        for item in reference.cases {
            let ids = tokenizer.encode(item.text), plain = tokenizer.encode(item.text, parseSpecial: false)
            XCTAssertEqual(ids, item.ids, item.text.debugDescription, file: file, line: line)
            XCTAssertEqual(plain, item.ids_no_special, item.text.debugDescription, file: file, line: line)
            XCTAssertEqual(tokenizer.decode(item.ids_no_special, skipSpecial: true), item.text, file: file, line: line)
            if ids == item.ids && plain == item.ids_no_special { identical += 1 }
        }
        print("evidence (\(fixture)): \(identical)/\(reference.cases.count) strings tokenize identically to llama.cpp "
              + "(special tokens parsed and as text)")
    }

    /// Every committed greedy completion token-identical to llama.cpp's: chat prompts through the model's
    /// template (its default system message), or plain continuations when the fixture has no system message.
    static func greedy(_ folder: LlamaCppReference.Folder, file: StaticString = #filePath, line: UInt = #line) throws {
        let gguf = try GGUFFile(url: try folder.model())
        let model = try LlamaModel(file: gguf)
        let tokenizer = try Tokenizer(file: gguf)
        let reference = try LlamaCppReference.load(LlamaCppReference.GreedyFixture.self,
                                                   from: try TestModel.fixture("\(folder.rawValue)/greedy.json"))
        XCTAssertGreaterThanOrEqual(reference.prompts.count, 10, file: file, line: line)
        let template = ChatTemplate.detect(file: gguf)
        if reference.system != nil { XCTAssertEqual(template.defaultSystem, reference.system, file: file, line: line) }
        let generator = try Generator(model: model, tokenizer: tokenizer, contextLength: 512)
        var identical = 0
        for item in reference.prompts {
            let promptTokens = reference.system == nil
                ? tokenizer.encode(item.prompt, parseSpecial: false)
                : tokenizer.encode(template.render([.user(item.prompt)], addGenerationPrompt: true))
            XCTAssertEqual(promptTokens, item.promptTokens, "prompt tokens differ for \(item.prompt.debugDescription)", file: file, line: line)
            let completion = try generator.complete(
                prompt: promptTokens, parameters: GenerationParameters(maxTokens: reference.maxTokens, sampling: .greedy))
            var tokens = completion.tokens
            if completion.finishReason == .stop, let last = tokens.last, tokenizer.isEndOfGeneration(last) { tokens.removeLast() }
            XCTAssertEqual(tokens, item.completionTokens,
                           "\(item.prompt.debugDescription): ours \(completion.text.debugDescription), llama.cpp \(item.completion.debugDescription)",
                           file: file, line: line)
            XCTAssertEqual(completion.finishReason.rawValue, item.finishReason, item.prompt, file: file, line: line)
            if tokens == item.completionTokens { identical += 1 }
        }
        print("evidence (\(reference.model)): \(identical)/\(reference.prompts.count) greedy completions identical to llama.cpp "
              + "(chosen from \(reference.tried) prompts, \(reference.qualified) qualified)")
    }
}
