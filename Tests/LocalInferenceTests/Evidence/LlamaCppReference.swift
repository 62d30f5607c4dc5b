import Foundation
import TestSupport

/// The reference figures written by scripts/reference/model_reference.py from llama.cpp
/// (llama-cpp-python 0.3.36): SmolLM2-135M-Instruct Q4_1 in Fixtures/reference/, the other families in
/// a folder of their own below it.
enum LlamaCppReference {
    /// Fixtures/reference/perplexity.json: llama-perplexity's figure on perplexity.txt, plus the argmax and
    /// top-1/top-2 logit margin at every position of the same windows (and the shorter tail window).
    struct PerplexityFixture: Decodable {
        let model: String
        /// The text's file name in Fixtures/reference (nil: perplexity.txt, for fixtures made before the field).
        let text: String?
        let context: Int
        let tokens: Int
        let chunks: Int
        let scoredTokens: Int
        let perplexity: Double
        let tokenIds: [Int32]
        /// [start, length] of each window, in order; together they cover every token once.
        let windows: [[Int]]
        /// (tokens) the most likely next token at each position.
        let argmax: [Int32]
        /// (tokens) logit of the most likely token minus that of the second.
        let margin: [Double]
    }

    /// Fixtures/reference/greedy.json: greedy completions whose margin stayed above `minMargin` at every step.
    struct GreedyFixture: Decodable {
        let model: String
        /// The chat template's default system message; nil for plain-text continuations (base models).
        let system: String?
        let maxTokens: Int
        let minMargin: Double
        let tried: Int
        let qualified: Int
        let prompts: [Prompt]

        struct Prompt: Decodable {
            let prompt: String
            let promptTokens: [Int32]
            /// Without the end-of-generation token.
            let completionTokens: [Int32]
            let completion: String
            let finishReason: String
            let minMargin: Double
        }
    }

    /// The folder of one model's fixtures under Fixtures/reference.
    enum Folder: String {
        case smolLM2 = "reference"
        case qwen25Coder = "reference/qwen2.5-coder-1.5b"
        case gemma3 = "reference/gemma-3-270m"

        func model() throws -> URL {
            switch self {
            case .smolLM2: return try TestModel.smolLM2()
            case .qwen25Coder: return try RealModelFile.qwen25Coder()
            case .gemma3: return try RealModelFile.gemma3()
            }
        }
    }

    static func load<Fixture: Decodable>(_ type: Fixture.Type, from url: URL) throws -> Fixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(contentsOf: url))
    }
}
