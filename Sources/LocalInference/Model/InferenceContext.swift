import Foundation

/// One sequence being evaluated by a model: its KV cache and scratch buffers, allocated once.
///
/// Not thread-safe: one context serves one sequence at a time (it parallelizes internally).
public final class InferenceContext {
    public let model: LlamaModel
    /// Tokens the KV cache can hold.
    public let contextLength: Int
    /// Tokens held in the KV cache: the next token is evaluated at this position.
    public private(set) var position: Int = 0

    let config: ModelConfiguration
    let cache: KVCache
    let scratch: Scratch
    /// (capacity, vocab) logits of the last evaluate's kept positions; grows when a larger batch keeps all.
    private var logitsStorage: UnsafeMutablePointer<Float>
    private var logitsCapacity: Int
    /// Batch index → row of `logitsStorage` for the last evaluate (nil: logits not kept for that index).
    private var logitRows: [Int?] = []

    /// - Parameter contextLength: tokens to hold; default the model's `configuration.contextLength`.
    public init(model: LlamaModel, contextLength: Int? = nil) throws {
        let config = model.configuration
        let n = contextLength ?? config.contextLength
        guard n > 0 else { throw ModelError.invalidContextLength(n, reason: "must be positive") }
        guard n <= 1 << 22 else { throw ModelError.invalidContextLength(n, reason: "larger than 4M tokens") }
        self.model = model
        self.config = config
        self.contextLength = n
        cache = KVCache(layers: config.layerCount, capacity: n, width: config.kvDimension)
        scratch = Scratch(config: config, contextLength: n, ropeFactors: model.ropeFrequencyFactors)
        logitsCapacity = 1
        logitsStorage = .allocate(capacity: config.vocabularySize)
        logitsStorage.initialize(repeating: 0, count: config.vocabularySize)
    }

    deinit { logitsStorage.deallocate() }

    /// Forgets the sequence: the next evaluate starts at position 0.
    public func reset() {
        position = 0
        logitRows = []
    }

    /// Runs `tokens` at positions `position ..< position + tokens.count` and advances `position`.
    ///
    /// Keeps the logits of every token when `allLogits`, else only of the last one.
    /// - Throws: `ModelError.contextFull` or `.tokenOutOfRange` before changing any state.
    public func evaluate(_ tokens: [Int32], allLogits: Bool = false) throws {
        guard !tokens.isEmpty else { return }
        guard position + tokens.count <= contextLength else {
            throw ModelError.contextFull(position: position, tokens: tokens.count, contextLength: contextLength)
        }
        let vocab = config.vocabularySize
        for t in tokens where t < 0 || Int(t) >= vocab {
            throw ModelError.tokenOutOfRange(token: t, vocabularySize: vocab)
        }
        let kept = allLogits ? tokens.count : 1
        if kept > logitsCapacity {
            logitsStorage.deallocate()
            logitsStorage = .allocate(capacity: kept * vocab)
            logitsCapacity = kept
        }
        logitRows = Array(repeating: nil, count: tokens.count)
        for (i, token) in tokens.enumerated() {
            let keep = allLogits || i == tokens.count - 1
            let row = allLogits ? i : 0
            forward(token: Int(token), position: position, logits: keep ? logitsStorage + row * vocab : nil)
            if keep { logitRows[i] = row }
            position += 1
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
}

// MARK: - Buffers

/// Keys and values of every layer and position, fp32.
///
/// Allocated for the whole context but left uninitialized, so the OS commits pages only as positions fill.
final class KVCache {
    let layers: Int
    let capacity: Int
    /// kvHeads × headDim.
    let width: Int
    /// (layers, capacity, width)
    let keys: UnsafeMutablePointer<Float>
    /// (layers, capacity, width)
    let values: UnsafeMutablePointer<Float>

    init(layers: Int, capacity: Int, width: Int) {
        self.layers = layers
        self.capacity = capacity
        self.width = width
        keys = .allocate(capacity: layers * capacity * width)
        values = .allocate(capacity: layers * capacity * width)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// (width) key of `layer` at `position`.
    @inline(__always)
    func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float> { keys + (layer * capacity + position) * width }

    /// (width) value of `layer` at `position`.
    @inline(__always)
    func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float> { values + (layer * capacity + position) * width }
}

/// Activations of the token being evaluated; allocated once per context.
final class Scratch {
    let x: UnsafeMutablePointer<Float>          // (embd) residual stream
    let normed: UnsafeMutablePointer<Float>     // (embd) RMSNorm output
    let query: UnsafeMutablePointer<Float>      // (heads * headDim)
    let attended: UnsafeMutablePointer<Float>   // (heads * headDim) attention output before attn_output
    let projected: UnsafeMutablePointer<Float>  // (embd) attn_output / ffn_down output
    let gate: UnsafeMutablePointer<Float>       // (ffn)
    let up: UnsafeMutablePointer<Float>         // (ffn)
    let scores: UnsafeMutablePointer<Float>     // (heads, contextLength) attention weights
    let ropeCos: UnsafeMutablePointer<Float>    // (ropeDim / 2) at the current position
    let ropeSin: UnsafeMutablePointer<Float>    // (ropeDim / 2)
    let inverseFrequencies: [Float]             // (ropeDim / 2) θ_i = base^(-2i/ropeDim) / factor_i
    private let all: [UnsafeMutablePointer<Float>]

    init(config c: ModelConfiguration, contextLength: Int, ropeFactors: [Float]?) {
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        x = buffer(c.embeddingLength)
        normed = buffer(c.embeddingLength)
        query = buffer(c.queryDimension)
        attended = buffer(c.queryDimension)
        projected = buffer(c.embeddingLength)
        gate = buffer(c.feedForwardLength)
        up = buffer(c.feedForwardLength)
        scores = buffer(c.headCount * contextLength)
        ropeCos = buffer(c.ropeDimensionCount / 2)
        ropeSin = buffer(c.ropeDimensionCount / 2)
        inverseFrequencies = (0..<(c.ropeDimensionCount / 2)).map { i in
            let theta = pow(Double(c.ropeFreqBase), -2.0 * Double(i) / Double(c.ropeDimensionCount))
            return Float(theta / Double(ropeFactors?[i] ?? 1))
        }
        all = [x, normed, query, attended, projected, gate, up, scores, ropeCos, ropeSin]
    }

    deinit { for p in all { p.deallocate() } }
}
