import Foundation

// MARK: - PerplexityResult

/// The perplexity of a text, llama-perplexity's way, and what it was computed over.
public struct PerplexityResult: Sendable, Equatable, Codable {
    /// exp(mean negative log-likelihood of the scored tokens).
    public let perplexity: Double
    /// llama-perplexity's "±" figure: the standard error of the mean NLL, times the perplexity.
    public let standardError: Double
    /// Tokens in the whole text.
    public let tokens: Int
    /// Tokens whose likelihood was scored: (n_ctx − n_ctx/2 − 1) per window.
    public let scoredTokens: Int
    /// Windows of `context` tokens evaluated (the text's tail shorter than a window is left out).
    public let windows: Int
    public let context: Int
}

// MARK: - Perplexity

/// llama-perplexity's method (tools/perplexity, `perplexity()`), so the figures compare one to one:
///
/// 1. the whole text is tokenized once, with BOS only when the model's metadata adds it, and special-token
///    text left as text;
/// 2. it is cut into ⌊tokens / n_ctx⌋ non-overlapping windows of n_ctx tokens (at least two are needed);
/// 3. each window is evaluated from an empty context, its first token replaced by BOS when the vocabulary
///    adds BOS;
/// 4. the negative log-likelihood of each token in the window's second half is summed — the logits at
///    positions n_ctx/2 … n_ctx−2 predicting the tokens after them — so every prediction has at least
///    n_ctx/2 tokens of context;
/// 5. perplexity = exp(Σ NLL / count).
///
/// ```swift
/// let result = try Perplexity(model: model, tokenizer: tokenizer, context: 512).measure(text: text)
/// print(result.perplexity, result.tokens)
/// ```
public struct Perplexity {
    public let context: Int
    let predictor: TokenPredictor
    let tokenizer: Tokenizer

    init(predictor: TokenPredictor, tokenizer: Tokenizer) {
        self.predictor = predictor
        self.tokenizer = tokenizer
        context = predictor.contextLength
    }

    /// Tokenizes `text` as llama-perplexity does and measures it.
    public func measure(text: String, progress: ((_ window: Int, _ of: Int) -> Void)? = nil) throws -> PerplexityResult {
        try measure(tokens: tokenizer.encode(text, addSpecial: nil, parseSpecial: false), progress: progress)
    }

    /// Measures already tokenized text.
    public func measure(tokens: [Int32], progress: ((_ window: Int, _ of: Int) -> Void)? = nil) throws -> PerplexityResult {
        try measure(tokens: tokens, progress: progress, visit: nil)
    }

    /// The measurement; `visit`, when given, also sees the logits at every position of every window
    /// (then whole windows keep their logits), for teacher-forced comparisons.
    func measure(tokens: [Int32], progress: ((Int, Int) -> Void)?,
                 visit: ((_ windowStart: Int, _ offset: Int, _ logits: UnsafeBufferPointer<Float>) -> Void)?) throws
        -> PerplexityResult {
        let n = context
        guard n >= 4 else { throw PerplexityError.contextTooSmall(n) }
        guard tokens.count >= 2 * n else { throw PerplexityError.textTooShort(tokens: tokens.count, context: n) }
        let windowCount = tokens.count / n
        let first = n / 2
        let bos = tokenizer.addsBOS ? tokenizer.bos : nil

        var sum = 0.0, sumOfSquares = 0.0, count = 0
        for window in 0..<windowCount {
            let start = window * n
            var input = Array(tokens[start..<(start + n)])
            if let bos { input[0] = bos }
            predictor.reset()
            let offset: Int  // logits(at: i) belongs to window position offset + i
            if let visit {
                try predictor.evaluate(input, allLogits: true)
                offset = 0
                for position in 0..<n { visit(start, position, predictor.logits(at: position)) }
            } else {
                try predictor.evaluate(Array(input[..<first]), allLogits: false)
                try predictor.evaluate(Array(input[first...]), allLogits: true)
                offset = first
            }
            for position in first..<(n - 1) {
                let logits = predictor.logits(at: position - offset)
                let target = tokens[start + position + 1]
                let nll = LogProbabilities.logSumExp(logits) - Double(logits[Int(target)])
                sum += nll
                sumOfSquares += nll * nll
                count += 1
            }
            progress?(window + 1, windowCount)
        }
        let mean = sum / Double(count)
        let perplexity = exp(mean)
        let variance = sumOfSquares / Double(count) - mean * mean
        let standardError = variance > 0 && count > 1 ? (variance / Double(count - 1)).squareRoot() * perplexity : 0
        return PerplexityResult(perplexity: perplexity, standardError: standardError, tokens: tokens.count,
                                scoredTokens: count, windows: windowCount, context: n)
    }
}

// MARK: - PerplexityError

public enum PerplexityError: Error, CustomStringConvertible, Equatable {
    case textTooShort(tokens: Int, context: Int)
    case contextTooSmall(Int)

    public var description: String {
        switch self {
        case let .textTooShort(tokens, context):
            return "the text has \(tokens) tokens but perplexity at context \(context) needs at least \(2 * context): "
                + "use a longer text or a smaller --context"
        case let .contextTooSmall(context):
            return "context \(context) is too small: use at least 4 tokens (llama-perplexity's usual is 512)"
        }
    }
}
