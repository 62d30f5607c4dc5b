// MARK: - SequenceBatch

/// Several sequences of one model decoded together: each has its own KV cache and position, and one
/// `evaluate` step runs one token of each through a single batched pass, so every weight matrix is read
/// once for all of them.
///
/// Each sequence is an `InferenceContext` (its prompt is evaluated on its own, in chunks), so a
/// `Generator` can drive it; the batch only adds the step that advances many at once.
///
/// ```swift
/// let batch = try SequenceBatch(model: model, sequences: 4, contextLength: 1024)
/// for (i, prompt) in prompts.enumerated() { try batch.context(i).evaluate(prompt) }
/// try batch.evaluate([(0, next0), (1, next1), (2, next2), (3, next3)])   // one pass
/// let logits = batch.logits(sequence: 2)   // (vocab)
/// ```
public final class SequenceBatch {
    public let model: LlamaModel
    /// Positions each sequence holds.
    public let contextLength: Int
    /// The sequences, each with its KV cache; they share the batch's pass.
    public private(set) var contexts: [InferenceContext]
    let pass: ForwardPass
    /// (sequences, vocab) logits of the last step, row i for the step's i-th entry.
    private var stepLogits: UnsafeMutablePointer<Float>
    private var stepLogitsRows: Int

    /// - Parameters:
    ///   - sequences: how many sequences to hold now (more can be added with `addSequence`).
    ///   - contextLength: positions of each sequence; default the model's context length.
    public init(model: LlamaModel, sequences: Int, contextLength: Int? = nil) throws {
        let n = contextLength ?? model.configuration.contextLength
        guard n > 0 else { throw ModelError.invalidContextLength(n, reason: "must be positive") }
        self.model = model
        self.contextLength = n
        pass = ForwardPass(model: model, capacity: max(min(n, InferenceContext.chunkSize), sequences))
        contexts = []
        stepLogitsRows = max(1, sequences)
        stepLogits = .allocate(capacity: stepLogitsRows * model.configuration.vocabularySize)
        for _ in 0..<sequences { try addSequence() }
    }

    deinit { stepLogits.deallocate() }

    /// Adds an empty sequence and returns its index (a rare allocation: a KV cache and room in the pass).
    @discardableResult
    public func addSequence() throws -> Int {
        contexts.append(try InferenceContext(model: model, contextLength: contextLength, pass: pass))
        let count = contexts.count
        pass.reserve(rows: count)
        if count > stepLogitsRows {
            stepLogits.deallocate()
            stepLogits = .allocate(capacity: count * model.configuration.vocabularySize)
            stepLogitsRows = count
        }
        return count - 1
    }

    /// Sequence `index`: evaluate its prompt, read its logits, reset it.
    public func context(_ index: Int) -> InferenceContext { contexts[index] }

    /// Forgets every sequence.
    public func resetAll() { for c in contexts { c.reset() } }

    // MARK: - The batched step

    /// Evaluates one token for each listed sequence in one pass and advances their positions; afterwards
    /// `logits(sequence:)` (and each context's `logits(at: -1)`) gives each one's next-token logits.
    ///
    /// - Throws: `ModelError.contextFull` / `.tokenOutOfRange` (nothing evaluated), or
    ///   `SequenceBatchError.repeatedSequence` when a sequence is listed twice.
    public func evaluate(_ entries: [(sequence: Int, token: Int32)]) throws {
        guard !entries.isEmpty else { return }
        for (i, entry) in entries.enumerated() {
            guard contexts.indices.contains(entry.sequence) else {
                throw SequenceBatchError.noSuchSequence(entry.sequence, count: contexts.count)
            }
            for earlier in entries[..<i] where earlier.sequence == entry.sequence {
                throw SequenceBatchError.repeatedSequence(entry.sequence)
            }
            try contexts[entry.sequence].checkRoom(forToken: entry.token)
        }
        let vocab = model.configuration.vocabularySize
        for (r, entry) in entries.enumerated() {
            let context = contexts[entry.sequence]
            pass.setRow(r, token: Int(entry.token), position: context.position, cache: context.cache)
        }
        pass.run(count: entries.count, firstKept: 0, logits: stepLogits)
        for (r, entry) in entries.enumerated() {
            contexts[entry.sequence].acceptBatchedToken(logits: stepLogits + r * vocab)
        }
    }

    /// The (vocab) next-token logits of `sequence` after its last evaluation.
    public func logits(sequence: Int) -> UnsafeBufferPointer<Float> { contexts[sequence].logits(at: -1) }
}

// MARK: - SequenceBatchError

public enum SequenceBatchError: Error, CustomStringConvertible, Equatable {
    case noSuchSequence(Int, count: Int)
    case repeatedSequence(Int)

    public var description: String {
        switch self {
        case let .noSuchSequence(index, count):
            return "sequence \(index) does not exist: the batch holds \(count) (0..<\(count))"
        case let .repeatedSequence(index):
            return "sequence \(index) is listed twice in one batched step: give each sequence one token per step"
        }
    }
}
