import Foundation

/// The reference figures written by scripts/reference/model_reference.py from llama.cpp
/// (llama-cpp-python 0.3.36) on SmolLM2-135M-Instruct Q4_1.
enum LlamaCppReference {
    /// Fixtures/reference/perplexity.json: llama-perplexity's figure on perplexity.txt, plus the argmax and
    /// top-1/top-2 logit margin at every position of the same windows (and the shorter tail window).
    struct PerplexityFixture: Decodable {
        let model: String
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
        let system: String
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

    static func load<Fixture: Decodable>(_ type: Fixture.Type, from url: URL) throws -> Fixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(contentsOf: url))
    }
}
