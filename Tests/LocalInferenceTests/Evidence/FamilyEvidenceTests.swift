import Foundation
import TestSupport
import XCTest
@testable import LocalInference

/// Issue #16, point 3: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (qwen2) and Gemma 3 270M Q4_K_M (gemma3) against
/// llama.cpp, with the tolerances of SmolLM2's evidence: perplexity within 1 % over ≥ 3,000 tokens, argmax
/// agreement ≥ 99 % where llama.cpp's margin exceeds 0.2, greedy completions (margin > 1.0 at every step)
/// token-identical (Qwen's replies through its ChatML template with Qwen's default system message, Gemma's plain
/// continuations: it is a base model). The models come from `scripts/bootstrap.sh --test`; the fixtures from
/// scripts/reference/model_reference.py (commands in its header).
final class FamilyEvidenceTests: XCTestCase {
    func testQwen2TokenizesTheCorpusAsLlamaCpp() throws {
        try EvidenceCheck.tokenization(model: RealModelFile.qwen25Coder(), fixture: "qwen2.5-coder_reference.json")
    }

    func testGemma3TokenizesTheCorpusAsLlamaCpp() throws {
        try EvidenceCheck.tokenization(model: RealModelFile.gemma3(), fixture: "gemma-3_reference.json")
    }

    // Every weight of both models has an interleaved layout, whose kernels serve prompts of any length; the
    // sgemm path is what the file's layout takes (`JUDGE_REPACK=0`, or a CPU without x86-64-v3).

    func testQwen2PerplexityAndArgmaxMatchLlamaCpp() throws {
        try EvidenceCheck.perplexityAndArgmax(.qwen25Coder, gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch,
                                              path: "interleaved integer kernels")
    }

    func testQwen2SGEMMMatchesLlamaCppToo() throws {
        try EvidenceCheck.perplexityAndArgmax(.qwen25Coder, gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch,
                                              repack: false, path: "sgemm")
    }

    func testGemma3PerplexityAndArgmaxMatchLlamaCpp() throws {
        try EvidenceCheck.perplexityAndArgmax(.gemma3, gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch,
                                              path: "interleaved integer kernels")
    }

    func testGemma3SGEMMMatchesLlamaCppToo() throws {
        try EvidenceCheck.perplexityAndArgmax(.gemma3, gemmThreshold: EngineConfiguration.defaultGEMMMinimumBatch,
                                              repack: false, path: "sgemm")
    }

    func testQwen2GreedyRepliesMatchLlamaCpp() throws {
        try EvidenceCheck.greedy(.qwen25Coder)
    }

    func testGemma3GreedyContinuationsMatchLlamaCpp() throws {
        try EvidenceCheck.greedy(.gemma3)
    }
}
