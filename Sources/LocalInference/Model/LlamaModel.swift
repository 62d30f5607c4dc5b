/// A decoder-only transformer of one of `Architecture.all` (llama, qwen2, gemma3): its configuration, its
/// block's traits and its weights, still quantized and memory-mapped.
///
/// ```swift
/// let model = try LlamaModel(file: try GGUFFile(url: url))
/// let context = try InferenceContext(model: model, contextLength: 2048)
/// try context.evaluate([1, 422, 9216])
/// let next = context.logits(at: -1)   // (vocab)
/// ```
public final class LlamaModel: @unchecked Sendable {
    public let file: GGUFFile
    public let configuration: ModelConfiguration
    /// Whether the output head reuses the token embedding (no `output.weight`).
    public let hasTiedOutput: Bool
    /// How the engine computes with this model (threads, sgemm threshold, weight layout).
    public let engine: EngineConfiguration
    /// The worker threads of `engine`.
    let parallel: Parallel

    /// (vocab, embd): one row per token.
    let tokenEmbedding: WeightMatrix
    /// (vocab, embd): `output.weight`, or the token embedding when tied.
    let output: WeightMatrix
    /// (embd) final RMSNorm weight.
    let outputNorm: [Float]
    /// (ropeDim / 2) divisors of the RoPE frequencies (`rope_freqs.weight`, Llama 3.1), if present.
    let ropeFrequencyFactors: [Float]?
    let layers: [LlamaLayer]
    /// How this architecture's block differs from llama's.
    let architecture: Architecture

    /// Checks every tensor's presence, shape and type against the configuration; reads nothing else,
    /// unless `engine.repack`: then the matrices with an interleaved layout are repacked into memory of
    /// their own, and their file pages released.
    public init(file: GGUFFile, contextLength: Int? = nil, engine: EngineConfiguration = EngineConfiguration()) throws {
        let config = try ModelConfiguration(file: file, contextLength: contextLength)
        let arch = Architecture.named(config.architecture)!
        self.engine = engine
        parallel = Parallel(engine)
        let loader = WeightLoader(file: file, architecture: arch, repacking: engine.repack ? parallel : nil,
                                  kernels: engine.interleavedKernels)
        let embd = config.embeddingLength, vocab = config.vocabularySize
        let q = config.queryDimension, kv = config.kvDimension, ffn = config.feedForwardLength

        let hd = config.headDimension
        self.file = file
        configuration = config
        architecture = arch
        // The embedding is only looked up, row by row: repacked only when it is the output head too.
        let head = try loader.matrix(.output, rows: vocab, columns: embd)
        tokenEmbedding = try loader.matrix(.tokenEmbedding, rows: vocab, columns: embd, repack: head == nil)!
        output = head ?? tokenEmbedding
        hasTiedOutput = head == nil
        outputNorm = try loader.vector(.outputNorm, count: embd)!
        ropeFrequencyFactors = try loader.vector(.ropeFrequencies, count: config.ropeDimensionCount / 2)
        layers = try (0..<config.layerCount).map { i in
            LlamaLayer(
                attentionNorm: try loader.vector(.attentionNorm, layer: i, count: embd)!,
                query: try loader.matrix(.attentionQuery, layer: i, rows: q, columns: embd)!,
                key: try loader.matrix(.attentionKey, layer: i, rows: kv, columns: embd)!,
                value: try loader.matrix(.attentionValue, layer: i, rows: kv, columns: embd)!,
                attentionOutput: try loader.matrix(.attentionOutput, layer: i, rows: embd, columns: q)!,
                queryBias: try loader.vector(.attentionQueryBias, layer: i, count: q),
                keyBias: try loader.vector(.attentionKeyBias, layer: i, count: kv),
                valueBias: try loader.vector(.attentionValueBias, layer: i, count: kv),
                outputBias: try loader.vector(.attentionOutputBias, layer: i, count: embd),
                queryNorm: try loader.vector(.attentionQueryNorm, layer: i, count: hd),
                keyNorm: try loader.vector(.attentionKeyNorm, layer: i, count: hd),
                attentionPostNorm: try loader.vector(.attentionPostNorm, layer: i, count: embd),
                feedForwardNorm: try loader.vector(.feedForwardNorm, layer: i, count: embd)!,
                gate: try loader.matrix(.feedForwardGate, layer: i, rows: ffn, columns: embd)!,
                up: try loader.matrix(.feedForwardUp, layer: i, rows: ffn, columns: embd)!,
                down: try loader.matrix(.feedForwardDown, layer: i, rows: embd, columns: ffn)!,
                feedForwardPostNorm: try loader.vector(.feedForwardPostNorm, layer: i, count: embd))
        }
    }
}

/// One transformer block's weights. Matrices are (out, in) with rows contiguous.
struct LlamaLayer {
    let attentionNorm: [Float]          // (embd)
    let query: WeightMatrix             // (heads * headDim, embd)
    let key: WeightMatrix               // (kvHeads * headDim, embd)
    let value: WeightMatrix             // (kvHeads * headDim, embd)
    let attentionOutput: WeightMatrix   // (embd, heads * headDim)
    let queryBias: [Float]?             // (heads * headDim)
    let keyBias: [Float]?               // (kvHeads * headDim)
    let valueBias: [Float]?             // (kvHeads * headDim)
    let outputBias: [Float]?            // (embd)
    let queryNorm: [Float]?             // (headDim) RMSNorm of each query head (Gemma 3)
    let keyNorm: [Float]?               // (headDim) RMSNorm of each key head (Gemma 3)
    let attentionPostNorm: [Float]?     // (embd) RMSNorm of the attention output before the residual add
    let feedForwardNorm: [Float]        // (embd)
    let gate: WeightMatrix              // (ffn, embd)
    let up: WeightMatrix                // (ffn, embd)
    let down: WeightMatrix              // (embd, ffn)
    let feedForwardPostNorm: [Float]?   // (embd) RMSNorm of the feed-forward output before the residual add
}

// MARK: - Loading

/// Finds tensors by role and checks their shape and type.
struct WeightLoader {
    let file: GGUFFile
    let architecture: Architecture
    /// The threads that repack matrices at load (nil: matrices stay in the file's layout).
    var repacking: Parallel?
    /// The kernels of the repacked matrices (a matrix shared with an earlier load gets this model's).
    var kernels: InterleavedKernels = .avx2

    private func info(_ role: Architecture.Role, layer: Int?) throws -> GGUFTensorInfo? {
        guard let spec = architecture.spec(role) else { return nil }   // not part of this architecture
        let name = spec.name(layer: layer)
        guard let info = file.tensor(named: name) else {
            if spec.required { throw ModelError.missingTensor(name) }
            return nil
        }
        guard info.type.isSupported else {
            throw ModelError.unsupportedTensorType(tensor: name, type: info.type.name, supported: GGMLType.supported.map(\.name))
        }
        return info
    }

    /// A (rows, columns) matrix, repacked when `repacking` and `repack` allow (`WeightMatrix.repacked(on:)`);
    /// nil only for an absent optional tensor.
    func matrix(_ role: Architecture.Role, layer: Int? = nil, rows: Int, columns: Int, repack: Bool = true) throws -> WeightMatrix? {
        guard let info = try info(role, layer: layer) else { return nil }
        guard info.dimensions == [columns, rows] else {
            throw ModelError.tensorShapeMismatch(tensor: info.name, expected: [columns, rows], found: info.dimensions)
        }
        func fileLayout(_ data: UnsafeRawBufferPointer) -> WeightMatrix {
            WeightMatrix(name: info.name, type: info.type, rows: rows, columns: columns, data: data.baseAddress!)
        }
        // A matrix repacked by an earlier load of the same bytes is shared (its file bytes may be gone).
        let repacked = file.repacked(info) { data, release in
            guard repack, let repacking else { return nil }
            let source = fileLayout(data)
            let matrix = source.repacked(on: repacking) { rows in
                release((rows.lowerBound * source.rowBytes)..<(rows.upperBound * source.rowBytes))
            }
            return matrix.layout == .rows ? nil : matrix
        }
        guard var repacked else { return fileLayout(file.data(for: info)) }
        repacked.kernels = kernels
        return repacked
    }

    /// A (count) vector dequantized to floats; nil only for an absent optional tensor.
    func vector(_ role: Architecture.Role, layer: Int? = nil, count: Int) throws -> [Float]? {
        guard let info = try info(role, layer: layer) else { return nil }
        guard info.dimensions == [count] else {
            throw ModelError.tensorShapeMismatch(tensor: info.name, expected: [count], found: info.dimensions)
        }
        return info.type.dequantize(file.data(for: info).baseAddress!, count: count)
    }
}
