import Foundation
@testable import LocalInference

/// A tiny model with random weights, written with our `GGUFWriter`, for tests that need no real model: a
/// llama by default; with `architecture` "qwen2" it has q/k/v biases, with "gemma3" q/k norms and post norms.
struct SyntheticLlama {
    var embedding = 256
    var feedForward = 512
    var layers = 2
    var heads = 4
    var kvHeads = 2
    var vocabulary = 48
    var contextLength = 64
    var ropeBase: Float = 10_000
    var ropeLinearFactor: Float? = nil
    var slidingWindow: Int? = nil
    var tiedOutput = true
    var ropeFrequencyFactors = false
    var architecture = "llama"
    /// `{arch}.attn_logit_softcapping` / `final_logit_softcapping`, when set.
    var attentionSoftcap: Float? = nil
    var finalSoftcap: Float? = nil
    /// Types of each layer's (q, k, v, o, gate, up, down), cycling over the layers.
    var layerTypes: [[GGMLType]] = [
        [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .f16, .bf16],
        [.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .f32, .q4_K],
    ]
    var embeddingType: GGMLType = .q8_0
    var outputType: GGMLType = .q6_K
    /// Replaces a tensor's type after generation (hostile-model tests); the bytes are sized for the new type.
    var typeOverrides: [String: GGMLType] = [:]
    var omitted: Set<String> = []
    /// Metadata set after the generated keys (hostile-model tests).
    var metadataOverrides: [String: GGUFValue] = [:]
    var seed: UInt64 = 1

    var headDimension: Int { embedding / heads }

    /// The GGUF image.
    func serialized() throws -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var w = GGUFWriter()
        w.setMetadata("general.architecture", .string(architecture))
        let a = architecture
        w.setMetadata("\(a).context_length", .uint32(UInt32(contextLength)))
        w.setMetadata("\(a).embedding_length", .uint32(UInt32(embedding)))
        w.setMetadata("\(a).feed_forward_length", .uint32(UInt32(feedForward)))
        w.setMetadata("\(a).block_count", .uint32(UInt32(layers)))
        w.setMetadata("\(a).attention.head_count", .uint32(UInt32(heads)))
        w.setMetadata("\(a).attention.head_count_kv", .uint32(UInt32(kvHeads)))
        w.setMetadata("\(a).attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.setMetadata("\(a).rope.freq_base", .float32(ropeBase))
        w.setMetadata("\(a).rope.dimension_count", .uint32(UInt32(headDimension)))
        if let f = ropeLinearFactor {
            w.setMetadata("\(a).rope.scaling.type", .string("linear"))
            w.setMetadata("\(a).rope.scaling.factor", .float32(f))
        }
        if let window = slidingWindow { w.setMetadata("\(a).attention.sliding_window", .uint32(UInt32(window))) }
        if let cap = attentionSoftcap { w.setMetadata("\(a).attn_logit_softcapping", .float32(cap)) }
        if let cap = finalSoftcap { w.setMetadata("\(a).final_logit_softcapping", .float32(cap)) }
        for (key, value) in metadataOverrides.sorted(by: { $0.key < $1.key }) { w.setMetadata(key, value) }

        func add(_ name: String, _ dims: [Int], _ type: GGMLType, scale: Float) throws {
            guard !omitted.contains(name) else { return }
            let t = typeOverrides[name] ?? type
            let bytes = SyntheticLlama.randomTensor(type: t, count: dims.reduce(1, *), scale: scale, rng: &rng)
            try w.addTensor(name: name, dimensions: dims, type: t, data: bytes)
        }
        func norm(_ name: String, count: Int? = nil) throws {
            guard !omitted.contains(name) else { return }
            let n = count ?? embedding
            try w.addTensor(name: name, dimensions: [n], floats: (0..<n).map { _ in 1 + rng.normal(0.2) })
        }
        func bias(_ name: String, count: Int) throws {
            guard !omitted.contains(name) else { return }
            try w.addTensor(name: name, dimensions: [count], floats: (0..<count).map { _ in rng.normal(0.3) })
        }
        let q = heads * headDimension, kv = kvHeads * headDimension
        try add("token_embd.weight", [embedding, vocabulary], embeddingType, scale: 1)
        try norm("output_norm.weight")
        if !tiedOutput { try add("output.weight", [embedding, vocabulary], outputType, scale: 0.1) }
        if ropeFrequencyFactors {
            try w.addTensor(name: "rope_freqs.weight", dimensions: [headDimension / 2],
                            floats: (0..<(headDimension / 2)).map { i in 1 + Float(i % 5) })
        }
        for l in 0..<layers {
            let t = layerTypes[l % layerTypes.count]
            try norm("blk.\(l).attn_norm.weight")
            try add("blk.\(l).attn_q.weight", [embedding, q], t[0], scale: 0.15)
            try add("blk.\(l).attn_k.weight", [embedding, kv], t[1], scale: 0.15)
            try add("blk.\(l).attn_v.weight", [embedding, kv], t[2], scale: 0.1)
            try add("blk.\(l).attn_output.weight", [q, embedding], t[3], scale: 0.05)
            try norm("blk.\(l).ffn_norm.weight")
            try add("blk.\(l).ffn_gate.weight", [embedding, feedForward], t[4], scale: 0.1)
            try add("blk.\(l).ffn_up.weight", [embedding, feedForward], t[5], scale: 0.1)
            try add("blk.\(l).ffn_down.weight", [feedForward, embedding], t[6], scale: 0.05)
            if architecture == "qwen2" {
                try bias("blk.\(l).attn_q.bias", count: q)
                try bias("blk.\(l).attn_k.bias", count: kv)
                try bias("blk.\(l).attn_v.bias", count: kv)
            }
            if architecture == "gemma3" {
                try norm("blk.\(l).attn_q_norm.weight", count: headDimension)
                try norm("blk.\(l).attn_k_norm.weight", count: headDimension)
                try norm("blk.\(l).post_attention_norm.weight")
                try norm("blk.\(l).post_ffw_norm.weight")
            }
        }
        return try w.serialized()
    }

    func file() throws -> GGUFFile { try GGUFFile(bytes: try serialized()) }

    // MARK: - Random tensors

    /// Byte offsets of the fp16 scale fields in one block of each k-quant.
    private static let kQuantScaleFields: [GGMLType: [Int]] = [
        .q2_K: [80, 82], .q3_K: [108], .q4_K: [0, 2], .q5_K: [0, 2], .q6_K: [208],
    ]
    /// Super-block scales that give weights of roughly unit size (before `scale`).
    private static let kQuantScaleSize: [GGMLType: Float] = [
        .q2_K: 0.08, .q3_K: 0.02, .q4_K: 0.02, .q5_K: 0.01, .q6_K: 0.0015,
    ]

    /// `count` random weights of standard deviation ≈ `scale` in `type`: quantized with our reference
    /// quantizer where there is one, else random k-quant blocks with bounded scales (every bit pattern of
    /// the quants and sub-block scales is legal).
    static func randomTensor(type: GGMLType, count: Int, scale: Float, rng: inout SplitMix64) -> [UInt8] {
        if GGMLType.quantizable.contains(type) {
            return type.quantize((0..<count).map { _ in rng.normal(scale) })
        }
        let blocks = count / type.blockSize
        var bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let fields = kQuantScaleFields[type] ?? []
        for b in 0..<blocks {
            for (k, offset) in fields.enumerated() {
                // The minimum's scale (second field of Q2/Q4/Q5_K) stays smaller so weights straddle zero.
                let magnitude = kQuantScaleSize[type]! * scale * (k == 0 ? 1 : 0.5) * (0.5 + rng.uniform())
                let bits = Float16(magnitude).bitPattern
                bytes[b * type.bytesPerBlock + offset] = UInt8(bits & 0xff)
                bytes[b * type.bytesPerBlock + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }
}
