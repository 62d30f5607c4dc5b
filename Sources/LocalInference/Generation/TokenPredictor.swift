// MARK: - TokenPredictor

/// What generation needs from a model: feed tokens, read the logits after the last one.
///
/// `InferenceContext` conforms (one sequence with its KV cache); tests conform scripted tables, so the
/// generation loop is tested without a model. A batched engine can conform per sequence later.
protocol TokenPredictor: AnyObject {
    /// Tokens the model scores; the width of every logits buffer.
    var vocabularySize: Int { get }
    /// How many positions the sequence can hold.
    var capacity: Int { get }
    /// How many tokens have been evaluated since the last reset.
    var position: Int { get }
    /// Forgets the sequence.
    func reset()
    /// Appends `tokens` to the sequence; afterwards `lastLogits` predicts the token after the last one.
    func append(_ tokens: [Int32]) throws
    /// (vocabularySize) logits after the last evaluated token; valid until the next `append` or `reset`.
    var lastLogits: UnsafeBufferPointer<Float> { get }
}
