import Foundation

/// One sequence being evaluated by a model: its KV cache, position and logits.
///
/// A prompt is evaluated in chunks of many tokens at once (one batched pass per chunk); contexts of a
/// `SequenceBatch` share one pass, so one decoding step can evaluate a token of each of them together.
/// Not thread-safe: one context (or batch) serves one caller at a time (it parallelizes internally).
public final class InferenceContext {
    public let model: LlamaModel
    /// Tokens the KV cache can hold.
    public let contextLength: Int
    /// Tokens held in the KV cache: the next token is evaluated at this position.
    public internal(set) var position: Int = 0

    let config: ModelConfiguration
    let cache: KVCache
    /// The pass that evaluates this context's tokens: its own, or its batch's.
    let pass: ForwardPass
    /// (capacity, vocab) logits of the last evaluate's kept positions; grows when a larger batch keeps all.
    private var logitsStorage: UnsafeMutablePointer<Float>
    private var logitsCapacity: Int
    /// Batch index → row of `logitsStorage` for the last evaluate (nil: logits not kept for that index).
    private var logitRows: [Int?] = []

    /// Tokens per batched pass while evaluating a prompt.
    static let chunkSize = 512

    /// - Parameter contextLength: tokens to hold; default the model's `configuration.contextLength`.
    public convenience init(model: LlamaModel, contextLength: Int? = nil) throws {
        let n = contextLength ?? model.configuration.contextLength
        try self.init(model: model, contextLength: n, pass: ForwardPass(model: model, capacity: min(max(n, 1), Self.chunkSize)))
    }

    init(model: LlamaModel, contextLength n: Int, pass: ForwardPass) throws {
        let config = model.configuration
        guard n > 0 else { throw ModelError.invalidContextLength(n, reason: "must be positive") }
        guard n <= 1 << 22 else { throw ModelError.invalidContextLength(n, reason: "larger than 4M tokens") }
        self.model = model
        self.config = config
        self.contextLength = n
        self.pass = pass
        cache = KVCache(layers: config.layerCount, capacity: n, width: config.kvDimension)
        logitsCapacity = 1
        logitsStorage = .allocate(capacity: config.vocabularySize)
        logitsStorage.initialize(repeating: 0, count: config.vocabularySize)
    }

    deinit { logitsStorage.deallocate() }

    /// Forgets the sequence: the next evaluate starts at position 0.
    public func reset() {
        position = 0
        logitRows.removeAll(keepingCapacity: true)
    }

    /// Runs `tokens` at positions `position ..< position + tokens.count` and advances `position`.
    ///
    /// Keeps the logits of every token when `allLogits`, else only of the last one.
    /// - Throws: `ModelError.contextFull` or `.tokenOutOfRange` before changing any state.
    public func evaluate(_ tokens: [Int32], allLogits: Bool = false) throws {
        guard !tokens.isEmpty else { return }
        try checkRoom(for: tokens)
        let vocab = config.vocabularySize
        let kept = allLogits ? tokens.count : 1
        if kept > logitsCapacity {
            logitsStorage.deallocate()
            logitsStorage = .allocate(capacity: kept * vocab)
            logitsCapacity = kept
        }
        logitRows.removeAll(keepingCapacity: true)
        for i in tokens.indices { logitRows.append(allLogits ? i : (i == tokens.count - 1 ? 0 : nil)) }

        var start = 0
        while start < tokens.count {
            let count = min(pass.capacity, tokens.count - start)
            for i in 0..<count {
                pass.setRow(i, token: Int(tokens[start + i]), position: position + i, cache: cache)
            }
            let isLast = start + count == tokens.count
            if allLogits {
                pass.run(count: count, firstKept: 0, logits: logitsStorage + start * vocab)
            } else {
                pass.run(count: count, firstKept: isLast ? count - 1 : count, logits: isLast ? logitsStorage : nil)
            }
            position += count
            start += count
        }
    }

    /// The logits (vocab) of token `index` of the last evaluate's batch; -1 is the last token.
    /// Valid until the next `evaluate` or `reset`.
    ///
    /// - Precondition: that token's logits were kept (`allLogits`, or the last token).
    public func logits(at index: Int = -1) -> UnsafeBufferPointer<Float> {
        let i = index < 0 ? logitRows.count + index : index
        precondition(i >= 0 && i < logitRows.count, "logits(at: \(index)): the last batch had \(logitRows.count) tokens")
        guard let row = logitRows[i] else {
            preconditionFailure("logits(at: \(index)) were not kept: evaluate with allLogits: true")
        }
        return UnsafeBufferPointer(start: logitsStorage + row * config.vocabularySize, count: config.vocabularySize)
    }

    // MARK: - Batched decoding (SequenceBatch)

    /// Throws unless `tokens` fit after `position` and are in the vocabulary.
    func checkRoom(for tokens: [Int32]) throws {
        guard position + tokens.count <= contextLength else {
            throw ModelError.contextFull(position: position, tokens: tokens.count, contextLength: contextLength)
        }
        let vocab = config.vocabularySize
        for t in tokens where t < 0 || Int(t) >= vocab {
            throw ModelError.tokenOutOfRange(token: t, vocabularySize: vocab)
        }
    }

    /// Throws unless one more `token` fits after `position` and is in the vocabulary.
    func checkRoom(forToken token: Int32) throws {
        guard position < contextLength else {
            throw ModelError.contextFull(position: position, tokens: 1, contextLength: contextLength)
        }
        guard token >= 0, Int(token) < config.vocabularySize else {
            throw ModelError.tokenOutOfRange(token: token, vocabularySize: config.vocabularySize)
        }
    }

    /// Records one token evaluated by a batch step, whose (vocab) logits are at `logits`.
    func acceptBatchedToken(logits: UnsafePointer<Float>) {
        logitsStorage.update(from: logits, count: config.vocabularySize)
        logitRows.removeAll(keepingCapacity: true)
        logitRows.append(0)
        position += 1
    }
}
