// MARK: - TokenPredictor

/// What generation and perplexity need from a model: evaluate tokens of one sequence, read logits.
///
/// `InferenceContext` conforms as it is (one sequence with its KV cache); tests conform scripted tables,
/// so the generation loop and the perplexity windows are tested without a model.
protocol TokenPredictor: AnyObject {
    /// Tokens the model scores; the width of every logits buffer.
    var vocabularySize: Int { get }
    /// How many positions the sequence can hold.
    var contextLength: Int { get }
    /// How many tokens have been evaluated since the last reset.
    var position: Int { get }
    /// Forgets the sequence.
    func reset()
    /// Appends `tokens` to the sequence, keeping the logits of every one of them when `allLogits`,
    /// else of the last one.
    func evaluate(_ tokens: [Int32], allLogits: Bool) throws
    /// (vocabularySize) logits after token `index` of the last `evaluate` (-1: its last token);
    /// valid until the next `evaluate` or `reset`.
    func logits(at index: Int) -> UnsafeBufferPointer<Float>
}
