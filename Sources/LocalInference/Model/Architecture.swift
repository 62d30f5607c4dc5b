/// An architecture described as data: which tensors it has, under which GGUF names, and which are required.
///
/// Names follow llama.cpp's `LLM_TENSOR_NAMES`; `%d` in a per-layer name is the block index.
struct Architecture: Sendable {
    /// The roles a tensor plays in the forward pass.
    enum Role: String, Sendable, CaseIterable {
        case tokenEmbedding, outputNorm, output, ropeFrequencies
        case attentionNorm, attentionQuery, attentionKey, attentionValue, attentionOutput
        case attentionQueryBias, attentionKeyBias, attentionValueBias, attentionOutputBias
        case feedForwardNorm, feedForwardGate, feedForwardUp, feedForwardDown
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

    let name: String
    /// Tensors outside the blocks.
    let global: [TensorSpec]
    /// Tensors of every block.
    let perLayer: [TensorSpec]

    func spec(_ role: Role) -> TensorSpec? {
        global.first { $0.role == role } ?? perLayer.first { $0.role == role }
    }

    /// `llama` as GGUF names it: Llama 1/2/3, Mistral 7B, SmolLM2, TinyLlama.
    /// `output.weight` is optional: without it the output head is tied to the token embedding.
    static let llama = Architecture(
        name: "llama",
        global: [
            .init(role: .tokenEmbedding, pattern: "token_embd.weight", required: true),
            .init(role: .outputNorm, pattern: "output_norm.weight", required: true),
            .init(role: .output, pattern: "output.weight", required: false),
            .init(role: .ropeFrequencies, pattern: "rope_freqs.weight", required: false),
        ],
        perLayer: [
            .init(role: .attentionNorm, pattern: "blk.%d.attn_norm.weight", required: true),
            .init(role: .attentionQuery, pattern: "blk.%d.attn_q.weight", required: true),
            .init(role: .attentionKey, pattern: "blk.%d.attn_k.weight", required: true),
            .init(role: .attentionValue, pattern: "blk.%d.attn_v.weight", required: true),
            .init(role: .attentionOutput, pattern: "blk.%d.attn_output.weight", required: true),
            .init(role: .attentionQueryBias, pattern: "blk.%d.attn_q.bias", required: false),
            .init(role: .attentionKeyBias, pattern: "blk.%d.attn_k.bias", required: false),
            .init(role: .attentionValueBias, pattern: "blk.%d.attn_v.bias", required: false),
            .init(role: .attentionOutputBias, pattern: "blk.%d.attn_output.bias", required: false),
            .init(role: .feedForwardNorm, pattern: "blk.%d.ffn_norm.weight", required: true),
            .init(role: .feedForwardGate, pattern: "blk.%d.ffn_gate.weight", required: true),
            .init(role: .feedForwardUp, pattern: "blk.%d.ffn_up.weight", required: true),
            .init(role: .feedForwardDown, pattern: "blk.%d.ffn_down.weight", required: true),
        ]
    )

    static let all: [Architecture] = [.llama]

    static func named(_ name: String) -> Architecture? { all.first { $0.name == name } }
}
