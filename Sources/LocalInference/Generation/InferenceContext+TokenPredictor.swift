// MARK: - The model behind generation and perplexity

/// `InferenceContext` already has the shape `TokenPredictor` asks for.
extension InferenceContext: TokenPredictor {
    var vocabularySize: Int { model.configuration.vocabularySize }
}

extension Generator {
    /// A generator with its own context of `contextLength` tokens (default: the model's).
    public convenience init(model: LlamaModel, tokenizer: Tokenizer, contextLength: Int? = nil) throws {
        try self.init(predictor: InferenceContext(model: model, contextLength: contextLength), tokenizer: tokenizer)
    }
}

extension Perplexity {
    /// Perplexity over windows of `context` tokens (llama-perplexity's `-c`, 512 by default).
    public init(model: LlamaModel, tokenizer: Tokenizer, context: Int = 512) throws {
        guard context >= 4 else { throw PerplexityError.contextTooSmall(context) }
        self.init(predictor: try InferenceContext(model: model, contextLength: context), tokenizer: tokenizer)
    }
}
