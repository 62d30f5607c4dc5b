/// An architecture described as data: which tensors it has, under which GGUF names, which are required,
/// and how its block differs from llama's.
///
/// Names follow llama.cpp's `LLM_TENSOR_NAMES`; `%d` in a per-layer name is the block index. The block
/// traits follow llama.cpp's graph builders (`src/models/llama.cpp`, `qwen2.cpp`, `gemma3.cpp`).
struct Architecture: Sendable {
    /// The roles a tensor plays in the forward pass.
    enum Role: String, Sendable, CaseIterable {
        case tokenEmbedding, outputNorm, output, ropeFrequencies
        case attentionNorm, attentionQuery, attentionKey, attentionValue, attentionOutput
        case attentionQueryBias, attentionKeyBias, attentionValueBias, attentionOutputBias
        case attentionQueryNorm, attentionKeyNorm, attentionPostNorm
        case feedForwardNorm, feedForwardGate, feedForwardUp, feedForwardDown, feedForwardPostNorm
    }

    struct TensorSpec: Sendable {
        let role: Role
        /// GGUF name; `%d` is replaced by the layer index for per-layer tensors.
        let pattern: String
        let required: Bool

        func name(layer: Int? = nil) -> String {
            guard let layer else { return pattern }
            return pattern.replacingOccurrences(of: "%d", with: String(layer))
        }
    }

    /// Which dimensions of a head RoPE rotates together.
    enum RopeStyle: Sendable {
        /// (2i, 2i + 1): llama.cpp's `LLAMA_ROPE_TYPE_NORM` (the llama converter permutes q/k to match).
        case adjacentPairs
        /// (i, i + ropeDim / 2): `LLAMA_ROPE_TYPE_NEOX`, the Hugging Face layout (Qwen2, Gemma).
        case halves
    }

    /// The non-linearity of the gated feed-forward: `act(gate) · up`.
    enum Activation: Sendable {
        /// SwiGLU (llama, Qwen2).
        case silu
        /// GELU with the tanh approximation (Gemma; ggml's `gelu`).
        case geluTanh
    }

    let name: String
    /// Tensors outside the blocks.
    let global: [TensorSpec]
    /// Tensors of every block.
    let perLayer: [TensorSpec]
    let ropeStyle: RopeStyle
    let activation: Activation
    /// Token embeddings multiplied by √embd before the first block (Gemma).
    let scalesEmbedding: Bool
    /// Whether `{arch}.attention.sliding_window` applies (llama.cpp ignores it for Qwen2, whose checkpoints
    /// record a window they were not run with).
    let readsSlidingWindow: Bool
    /// Sliding-window layers interleaved with global ones: every `n`-th layer (index n-1, 2n-1, …) attends
    /// globally, the others within `{arch}.attention.sliding_window` (llama.cpp's `set_swa_pattern(n)`).
    /// nil: a sliding window, if the metadata sets one, applies to every layer (Mistral).
    let slidingPattern: Int?
    /// The RoPE base of the sliding-window layers, which the GGUF does not carry (Gemma 3: 10,000,
    /// llama.cpp's `rope_freq_base_train_swa`); the global layers use `{arch}.rope.freq_base`.
    let slidingRopeBase: Float?

    func spec(_ role: Role) -> TensorSpec? {
        global.first { $0.role == role } ?? perLayer.first { $0.role == role }
    }

    /// Whether this architecture has a tensor for `role` at all (required or optional).
    func has(_ role: Role) -> Bool { spec(role) != nil }

    // MARK: - The architectures

    private static let embeddingAndHead: [TensorSpec] = [
        .init(role: .tokenEmbedding, pattern: "token_embd.weight", required: true),
        .init(role: .outputNorm, pattern: "output_norm.weight", required: true),
        .init(role: .output, pattern: "output.weight", required: false),
    ]

    /// The norms and projections every block has; `qkvBiasRequired` says whether q/k/v biases are required,
    /// optional (false) or absent (nil).
    private static func attentionAndFeedForward(qkvBiasRequired: Bool?) -> [TensorSpec] {
        var specs: [TensorSpec] = [
            .init(role: .attentionNorm, pattern: "blk.%d.attn_norm.weight", required: true),
            .init(role: .attentionQuery, pattern: "blk.%d.attn_q.weight", required: true),
            .init(role: .attentionKey, pattern: "blk.%d.attn_k.weight", required: true),
            .init(role: .attentionValue, pattern: "blk.%d.attn_v.weight", required: true),
            .init(role: .attentionOutput, pattern: "blk.%d.attn_output.weight", required: true),
            .init(role: .feedForwardNorm, pattern: "blk.%d.ffn_norm.weight", required: true),
            .init(role: .feedForwardGate, pattern: "blk.%d.ffn_gate.weight", required: true),
            .init(role: .feedForwardUp, pattern: "blk.%d.ffn_up.weight", required: true),
            .init(role: .feedForwardDown, pattern: "blk.%d.ffn_down.weight", required: true),
        ]
        if let required = qkvBiasRequired {
            specs += [
                .init(role: .attentionQueryBias, pattern: "blk.%d.attn_q.bias", required: required),
                .init(role: .attentionKeyBias, pattern: "blk.%d.attn_k.bias", required: required),
                .init(role: .attentionValueBias, pattern: "blk.%d.attn_v.bias", required: required),
            ]
        }
        return specs
    }

    /// `llama` as GGUF names it: Llama 1/2/3, Mistral 7B, SmolLM2, TinyLlama.
    /// `output.weight` is optional: without it the output head is tied to the token embedding.
    static let llama = Architecture(
        name: "llama",
        global: embeddingAndHead + [.init(role: .ropeFrequencies, pattern: "rope_freqs.weight", required: false)],
        perLayer: attentionAndFeedForward(qkvBiasRequired: false) + [
            .init(role: .attentionOutputBias, pattern: "blk.%d.attn_output.bias", required: false),
        ],
        ropeStyle: .adjacentPairs, activation: .silu, scalesEmbedding: false, readsSlidingWindow: true,
        slidingPattern: nil, slidingRopeBase: nil)

    /// `qwen2`: Qwen2 and Qwen2.5 (llama.cpp's `llm_build_qwen2`): llama's block with q/k/v biases and
    /// NEOX RoPE; the output head tied (1.5B and smaller) or not.
    static let qwen2 = Architecture(
        name: "qwen2",
        global: embeddingAndHead,
        perLayer: attentionAndFeedForward(qkvBiasRequired: true),
        ropeStyle: .halves, activation: .silu, scalesEmbedding: false, readsSlidingWindow: false,
        slidingPattern: nil, slidingRopeBase: nil)

    /// `gemma3` (text; llama.cpp's `llm_build_gemma3<iswa>`): RMSNorm before and after both attention and
    /// the feed-forward, RMSNorm of each query and key head, GELU-tanh gated feed-forward, embeddings scaled
    /// by √embd, NEOX RoPE, five sliding-window layers (RoPE base 10,000) to each global one.
    ///
    /// Gemma's RMSNorm multiplies by (1 + w); llama.cpp's converter stores 1 + w in the GGUF (its
    /// `norm_shift`), so every norm here is a plain RMSNorm with the stored weight.
    static let gemma3 = Architecture(
        name: "gemma3",
        global: embeddingAndHead,
        perLayer: attentionAndFeedForward(qkvBiasRequired: nil) + [
            .init(role: .attentionQueryNorm, pattern: "blk.%d.attn_q_norm.weight", required: true),
            .init(role: .attentionKeyNorm, pattern: "blk.%d.attn_k_norm.weight", required: true),
            .init(role: .attentionPostNorm, pattern: "blk.%d.post_attention_norm.weight", required: true),
            .init(role: .feedForwardPostNorm, pattern: "blk.%d.post_ffw_norm.weight", required: true),
        ],
        ropeStyle: .halves, activation: .geluTanh, scalesEmbedding: true, readsSlidingWindow: true,
        slidingPattern: 6, slidingRopeBase: 10_000)

    static let all: [Architecture] = [.llama, .qwen2, .gemma3]

    static func named(_ name: String) -> Architecture? { all.first { $0.name == name } }
}
