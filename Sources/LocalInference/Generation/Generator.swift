// MARK: - Generator

/// Turns prompt tokens into a completion, one token at a time: sampling, end-of-generation and stop strings,
/// the token limit, and optional log-probabilities.
///
/// A generator owns one model context and runs one sequence at a time: a new `generate` call supersedes the
/// stream of the previous one. `BatchGenerator` runs many generators over the sequences of one
/// `SequenceBatch`, stepping them together.
///
/// ```swift
/// let generator = try Generator(model: model, tokenizer: tokenizer)
/// let stream = try generator.generate(prompt: tokenizer.encode(promptText), parameters: .init(maxTokens: 64))
/// while let step = try stream.next() { print(step.text, terminator: "") }
/// print(stream.finishReason!)   // .stop or .length
/// ```
public final class Generator {
    public let tokenizer: Tokenizer
    let predictor: TokenPredictor
    /// Reused by every stream: its buffers are sized once for the vocabulary.
    let sampler: Sampler
    /// Which stream may use the context now.
    private(set) var activeStream: UInt64 = 0
    /// This generator's sequence in its `BatchGenerator`'s batch, if it has one.
    var batchSequence: Int?

    init(predictor: TokenPredictor, tokenizer: Tokenizer) throws {
        self.predictor = predictor
        self.tokenizer = tokenizer
        sampler = try Sampler(parameters: .greedy, vocabularySize: predictor.vocabularySize)
    }

    /// How many tokens a prompt and its completion can hold together.
    public var contextLength: Int { predictor.contextLength }

    // MARK: - Generation

    /// Evaluates the prompt and returns the stream of its completion.
    /// - Throws: `GenerationError` for bad parameters or a prompt that is empty, too long or out of vocabulary;
    ///   the model's error when evaluation fails.
    public func generate(prompt: [Int32], parameters: GenerationParameters) throws -> GenerationStream {
        try parameters.validate()
        try evaluatePrompt(prompt)
        try sampler.reset(parameters: parameters.sampling, history: prompt)
        activeStream &+= 1
        return GenerationStream(generator: self, id: activeStream, promptTokenCount: prompt.count, parameters: parameters)
    }

    /// Generates to the end and gathers the steps.
    public func complete(prompt: [Int32], parameters: GenerationParameters) throws -> Completion {
        let stream = try generate(prompt: prompt, parameters: parameters)
        var text = ""
        var tokens: [Int32] = []
        var logprobs: [StepLogprobs] = []
        while let step = try stream.next() {
            text += step.text
            tokens.append(step.token)
            if let stepLogprobs = step.logprobs { logprobs.append(stepLogprobs) }
        }
        return Completion(text: text, tokens: tokens, finishReason: stream.finishReason ?? .length,
                          promptTokenCount: prompt.count, logprobs: logprobs)
    }

    // MARK: - Scoring

    /// The log-probabilities of `candidates` as the token right after `prompt` — e.g. how strongly a local
    /// judge prefers "A" over "B". Supersedes any running stream.
    public func logprobs(of candidates: [Int32], after prompt: [Int32]) throws -> [Float] {
        for token in candidates { try checkInVocabulary(token) }
        activeStream &+= 1
        try evaluatePrompt(prompt)
        let logits = predictor.logits(at: -1)
        let normalizer = LogProbabilities.logSumExp(logits)
        return candidates.map { LogProbabilities.logprob(of: $0, in: logits, logSumExp: normalizer) }
    }

    // MARK: - Internals

    private func evaluatePrompt(_ prompt: [Int32]) throws {
        guard !prompt.isEmpty else { throw GenerationError.emptyPrompt }
        guard prompt.count <= predictor.contextLength else {
            throw GenerationError.promptTooLong(tokens: prompt.count, context: predictor.contextLength)
        }
        for token in prompt { try checkInVocabulary(token) }
        predictor.reset()
        try predictor.evaluate(prompt, allLogits: false)
    }

    private func checkInVocabulary(_ token: Int32) throws {
        guard token >= 0, Int(token) < predictor.vocabularySize else {
            throw GenerationError.tokenOutOfRange(token, vocabularySize: predictor.vocabularySize)
        }
    }
}
