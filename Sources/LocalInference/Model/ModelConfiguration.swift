/// The hyper-parameters of a model, read from its GGUF metadata (`{arch}.embedding_length` and so on).
public struct ModelConfiguration: Equatable, Sendable {
    /// How RoPE positions are scaled.
    public enum RopeScaling: Equatable, Sendable {
        case none
        /// Positions divided by `factor` (`{arch}.rope.scaling.type = linear`).
        case linear(factor: Float)
    }

    /// `general.architecture`.
    public var architecture: String
    /// Tokens in the vocabulary (rows of `token_embd.weight`).
    public var vocabularySize: Int
    /// The context length in use: the override if one was given, else `trainingContextLength`.
    public var contextLength: Int
    /// `{arch}.context_length`: the context the model was trained for.
    public var trainingContextLength: Int
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Width of the feed-forward hidden layer.
    public var feedForwardLength: Int
    /// Transformer blocks.
    public var layerCount: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (grouped-query attention when fewer than `headCount`).
    public var headCountKV: Int
    /// Width of one attention head (`{arch}.attention.key_length`, default embedding / heads).
    public var headDimension: Int
    /// Leading dimensions of each head that RoPE rotates (`{arch}.rope.dimension_count`).
    public var ropeDimensionCount: Int
    /// RoPE base frequency.
    public var ropeFreqBase: Float
    public var ropeScaling: RopeScaling
    public var rmsNormEpsilon: Float
    /// Attention window when the metadata sets one (`{arch}.attention.sliding_window`): a token sees itself
    /// and the `slidingWindow - 1` tokens before it.
    public var slidingWindow: Int?
    /// With a sliding window, which layers slide (the others attend globally): Gemma 3 slides five of
    /// every six; nil: every layer slides.
    public var slidingLayers: [Bool]?
    /// RoPE base of the sliding-window layers when it differs from `ropeFreqBase` (Gemma 3: 10,000).
    public var slidingRopeFreqBase: Float?
    /// Multiplies q·k before the softmax: 1/√headDimension, except Gemma 3 27B's 1/√(embd / heads).
    public var attentionScale: Float
    /// `cap · tanh(score / cap)` on attention scores (`{arch}.attn_logit_softcapping`), when set.
    public var attentionSoftcap: Float?
    /// `cap · tanh(logit / cap)` on the output logits (`{arch}.final_logit_softcapping`), when set.
    public var finalLogitSoftcap: Float?

    /// Query width (heads × head dimension).
    public var queryDimension: Int { headCount * headDimension }
    /// Key/value width (kv heads × head dimension).
    public var kvDimension: Int { headCountKV * headDimension }

    /// The attention window of layer `layer`: nil where it attends to every earlier position.
    public func slidingWindow(layer: Int) -> Int? {
        guard let window = slidingWindow, slidingLayers?[layer] ?? true else { return nil }
        return window
    }
}

// MARK: - Reading the metadata

extension ModelConfiguration {
    /// The architectures the engine runs.
    public static let supportedArchitectures = Architecture.all.map(\.name)

    /// Reads the configuration of `file`, with `contextLength` overriding the trained context.
    public init(file: GGUFFile, contextLength override: Int? = nil) throws {
        guard let arch = file.architecture else { throw ModelError.missingMetadata("general.architecture") }
        guard let traits = Architecture.named(arch) else {
            throw ModelError.unsupportedArchitecture(arch, supported: ModelConfiguration.supportedArchitectures)
        }
        let meta = MetadataReader(file: file, prefix: arch)
        architecture = arch
        embeddingLength = try meta.positiveInt("embedding_length")
        layerCount = try meta.positiveInt("block_count")
        feedForwardLength = try meta.positiveInt("feed_forward_length")
        headCount = try meta.positiveInt("attention.head_count")
        headCountKV = try meta.positiveInt("attention.head_count_kv", default: headCount)
        guard headCount % headCountKV == 0 else {
            throw ModelError.invalidMetadata(key: "\(arch).attention.head_count_kv",
                                             reason: "\(headCountKV) does not divide the \(headCount) query heads")
        }
        guard embeddingLength % headCount == 0 || file.metadata["\(arch).attention.key_length"] != nil else {
            throw ModelError.invalidMetadata(key: "\(arch).attention.head_count",
                                             reason: "\(headCount) heads do not divide the embedding length \(embeddingLength)")
        }
        headDimension = try meta.positiveInt("attention.key_length", default: embeddingLength / headCount)
        let valueLength = try meta.positiveInt("attention.value_length", default: headDimension)
        guard valueLength == headDimension else {
            throw ModelError.unsupportedFeature("value head width \(valueLength) differs from key head width \(headDimension)")
        }
        ropeDimensionCount = try meta.positiveInt("rope.dimension_count", default: headDimension)
        guard ropeDimensionCount <= headDimension, ropeDimensionCount % 2 == 0 else {
            throw ModelError.invalidMetadata(key: "\(arch).rope.dimension_count",
                                             reason: "\(ropeDimensionCount) must be even and at most the head width \(headDimension)")
        }
        ropeFreqBase = try meta.positiveFloat("rope.freq_base", default: 10_000)
        rmsNormEpsilon = try meta.positiveFloat("attention.layer_norm_rms_epsilon", default: 1e-5)
        ropeScaling = try meta.ropeScaling()
        if traits.readsSlidingWindow, let window = try meta.optionalInt("attention.sliding_window"), window > 0 {
            slidingWindow = window
        } else {
            slidingWindow = nil
        }
        // `{arch}.attention.sliding_window_pattern`, an integer n (every n-th layer global) or one flag per
        // layer, overrides the architecture's pattern; `{arch}.rope.freq_base_swa` its sliding RoPE base.
        if let pattern = file.metadata[meta.key("attention.sliding_window_pattern")] {
            if let n = pattern.intValue, n > 0 {
                slidingLayers = (0..<layerCount).map { $0 % n < n - 1 }
            } else if case let .array(flags) = pattern, flags.count == layerCount, flags.allSatisfy({ $0.boolValue != nil }) {
                slidingLayers = flags.map { $0.boolValue! }
            } else {
                throw ModelError.invalidMetadata(key: meta.key("attention.sliding_window_pattern"),
                                                 reason: "expected a positive integer or \(layerCount) booleans, found \(pattern)")
            }
        } else if let n = traits.slidingPattern {
            slidingLayers = (0..<layerCount).map { $0 % n < n - 1 }
        } else {
            slidingLayers = nil
        }
        slidingRopeFreqBase = try traits.slidingRopeBase.map { try meta.positiveFloat("rope.freq_base_swa", default: $0) }
        // Gemma 3 27B (62 blocks) scales queries by 1/√(embd / heads), not 1/√headDim (llama.cpp's
        // f_attention_scale, after gemma_pytorch's config).
        attentionScale = arch == "gemma3" && layerCount == 62
            ? 1 / Float(embeddingLength / headCount).squareRoot()
            : 1 / Float(headDimension).squareRoot()
        attentionSoftcap = try meta.optionalPositiveFloat("attn_logit_softcapping")
        finalLogitSoftcap = try meta.optionalPositiveFloat("final_logit_softcapping")
        if let experts = try meta.optionalInt("expert_count"), experts > 0 {
            throw ModelError.unsupportedFeature("mixture of experts (\(arch).expert_count = \(experts))")
        }

        guard let embd = file.tensor(named: "token_embd.weight") else { throw ModelError.missingTensor("token_embd.weight") }
        vocabularySize = try meta.positiveInt("vocab_size", default: embd.dimensions.count == 2 ? embd.dimensions[1] : 0)

        trainingContextLength = try meta.positiveInt("context_length")
        if let override {
            guard override > 0 else { throw ModelError.invalidContextLength(override, reason: "must be positive") }
            contextLength = override
        } else {
            contextLength = trainingContextLength
        }
    }
}

/// Typed access to `{arch}.*` metadata with errors that name the key.
struct MetadataReader {
    let file: GGUFFile
    let prefix: String

    func key(_ name: String) -> String { "\(prefix).\(name)" }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = file.metadata[key(name)] else { return nil }
        guard let n = value.intValue else {
            throw ModelError.invalidMetadata(key: key(name), reason: "expected an integer, found \(value.valueType) \(value)")
        }
        return n
    }

    func positiveInt(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let n = try optionalInt(name) ?? fallback else { throw ModelError.missingMetadata(key(name)) }
        guard n > 0, n <= 1 << 24 else { throw ModelError.invalidMetadata(key: key(name), reason: "\(n) is out of range") }
        return n
    }

    func positiveFloat(_ name: String, default fallback: Float) throws -> Float {
        guard let value = file.metadata[key(name)] else { return fallback }
        guard let x = value.floatValue, x > 0, x.isFinite else {
            throw ModelError.invalidMetadata(key: key(name), reason: "expected a positive number, found \(value)")
        }
        return Float(x)
    }

    func optionalPositiveFloat(_ name: String) throws -> Float? {
        guard file.metadata[key(name)] != nil else { return nil }
        return try positiveFloat(name, default: 1)
    }

    func ropeScaling() throws -> ModelConfiguration.RopeScaling {
        let typeKey = key("rope.scaling.type")
        let type = file.metadata[typeKey].map { $0.stringValue ?? "\($0)" }
        var factor = try positiveFloat("rope.scaling.factor", default: 1)
        if type == nil, let legacy = file.metadata[key("rope.scale_linear")]?.floatValue, legacy > 0 {
            factor = Float(legacy)   // older converters' key for linear scaling
            return factor == 1 ? .none : .linear(factor: factor)
        }
        switch type {
        case nil, "none": return .none
        case "linear": return factor == 1 ? .none : .linear(factor: factor)
        case let other?:
            throw ModelError.unsupportedFeature("RoPE scaling \"\(other)\" (\(typeKey)); supported: none, linear")
        }
    }
}
