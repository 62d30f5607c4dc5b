import Foundation
import XCTest
@testable import LocalInference

/// Issue #2, point 8: the engine against llama.cpp on the real model (SmolLM2-135M-Instruct Q4_1).
///
/// Tolerances come from the issue: perplexity within 1 %; next-token argmax equal at ≥ 99 % of the positions
/// where llama.cpp's top-1/top-2 margin exceeds 0.2 (llama.cpp rounds activations to 8 bits inside its dot
/// products, so near-ties legitimately flip); greedy completions are in GreedyEvidenceTests.
final class LlamaCppEvidenceTests: XCTestCase {
    private func loadModel() throws -> (GGUFFile, LlamaModel, Tokenizer) {
        let file = try GGUFFile(url: try TestModel.smolLM2())
        return (file, try LlamaModel(file: file), try Tokenizer(file: file))
    }

    /// Index of the largest logit (the lowest index among equals).
    private func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for index in 1..<logits.count where logits[index] > logits[best] { best = index }
        return Int32(best)
    }

    // MARK: - Perplexity and teacher-forced argmax

    /// Prompt windows as prompts run: through sgemm in fp32.
    func testPerplexityAndNextTokenArgmaxMatchLlamaCpp() throws {
        try checkAgainstLlamaCpp(gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch, path: "sgemm")
    }

    /// The same windows through the integer kernels of decoding (activations quantized to 8 bits per
    /// block, as llama.cpp does), which otherwise only greedy generation exercises.
    func testIntegerKernelsMatchLlamaCppToo() throws {
        try checkAgainstLlamaCpp(gemmThreshold: .max, path: "integer kernels")
    }

    private func checkAgainstLlamaCpp(gemmThreshold: Int, path: String) throws {
        let (_, model, tokenizer) = try loadModel()
        let reference = try LlamaCppReference.load(LlamaCppReference.PerplexityFixture.self,
                                                   from: try TestModel.fixture("reference/perplexity.json"))
        let text = try String(contentsOf: try TestModel.fixture("reference/perplexity.txt"), encoding: .utf8)
        let tokens = tokenizer.encode(text, addSpecial: nil, parseSpecial: false)
        XCTAssertEqual(tokens, reference.tokenIds, "the text tokenizes differently from llama.cpp")
        XCTAssertEqual(tokens.count, reference.tokens)

        // One pass: perplexity over the full windows, the argmax at every position of them on the way.
        var ours = [Int32](repeating: -1, count: tokens.count)
        let pass = ForwardPass(model: model, capacity: reference.context)
        pass.gemmThreshold = gemmThreshold
        let perplexity = Perplexity(predictor: try InferenceContext(model: model, contextLength: reference.context, pass: pass),
                                    tokenizer: tokenizer)
        let result = try perplexity.measure(tokens: tokens, progress: nil) { start, offset, logits in
            ours[start + offset] = self.argmax(logits)
        }
        // The tail window, shorter than the context, is not part of the perplexity.
        let covered = result.windows * reference.context
        if covered < tokens.count {
            let tail = ForwardPass(model: model, capacity: reference.context)
            tail.gemmThreshold = gemmThreshold
            let context = try InferenceContext(model: model, contextLength: reference.context, pass: tail)
            try context.evaluate(Array(tokens[covered...]), allLogits: true)
            for offset in 0..<(tokens.count - covered) { ours[covered + offset] = argmax(context.logits(at: offset)) }
        }

        XCTAssertEqual(result.windows, reference.chunks)
        XCTAssertEqual(result.scoredTokens, reference.scoredTokens)
        let relative = abs(result.perplexity - reference.perplexity) / reference.perplexity
        XCTAssertLessThan(relative, 0.01, "perplexity \(result.perplexity) vs llama.cpp \(reference.perplexity)")

        let confident = reference.margin.indices.filter { reference.margin[$0] > 0.2 }
        let agree = confident.filter { ours[$0] == reference.argmax[$0] }.count
        let agreeAll = ours.indices.filter { ours[$0] == reference.argmax[$0] }.count
        let agreement = Double(agree) / Double(confident.count)
        XCTAssertGreaterThanOrEqual(agreement, 0.99, "argmax agrees at \(agree) of \(confident.count) confident positions")
        print(String(format: "evidence (\(path)): perplexity %.4f vs llama.cpp %.4f (%+.3f %%); argmax agrees at %d/%d positions with margin > 0.2 (%.2f %%), %d/%d overall (%.2f %%)",
                     result.perplexity, reference.perplexity, 100 * (result.perplexity / reference.perplexity - 1),
                     agree, confident.count, 100 * agreement, agreeAll, ours.count,
                     100 * Double(agreeAll) / Double(ours.count)))
    }
}
