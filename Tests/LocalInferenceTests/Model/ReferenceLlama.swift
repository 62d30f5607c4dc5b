import Foundation
@testable import LocalInference

/// A plain, obviously-correct fp32 forward pass of llama, qwen2 and gemma3 for checking the engine: every weight dequantized up
/// front with the reference dequantizer (itself checked against gguf-py), every step written as the
/// textbook formula, each token's attention recomputed over the whole prefix. Slow on purpose.
///
/// Like llama.cpp, the engine decodes with the input of a product quantized to 8 bits per block for the
/// weight types of its integer kernels (`Int8Dot.handles`); with `quantizesActivations` (the default) the
/// reference does the same, with the scalar reference quantizer, before its plain dot. Prompts of
/// `EngineConfiguration.defaultGEMMMinimumBatch` rows or more go through sgemm in fp32: compare those with it off.
struct ReferenceLlama {
    let c: ModelConfiguration
    let file: GGUFFile
    var quantizesActivations = true
    /// NEOX RoPE (pairs i, i + d/2), post norms, GELU, √d embedding scale, interleaved sliding layers.
    var isGemma3: Bool { c.architecture == "gemma3" }
    var rotatesHalves: Bool { c.architecture != "llama" }

    /// A weight matrix as float rows, and its file type (which decides whether its input is quantized).
    struct Matrix {
        let rows: [[Float]]
        let type: GGMLType
    }

    init(file: GGUFFile) throws {
        self.file = file
        c = try ModelConfiguration(file: file)
    }

    /// (rows, columns) weights as floats.
    func matrix(_ name: String) -> Matrix {
        let info = file.tensor(named: name)!
        let data = file.data(for: info)
        return Matrix(rows: (0..<info.rowCount).map { r in
            info.type.dequantize(data.baseAddress! + r * info.rowBytes, count: info.rowLength)
        }, type: info.type)
    }

    func vector(_ name: String) -> [Float]? {
        guard let info = file.tensor(named: name) else { return nil }
        return info.type.dequantize(file.data(for: info).baseAddress!, count: info.elementCount)
    }

    func matmul(_ w: Matrix, _ x: [Float]) -> [Float] {
        let input = quantizesActivations && Int8Dot.handles(w.type)
            ? Self.quantizedActivations(x, blocksPerScale: Int8Dot.blocksPerScale(w.type)) : x
        return w.rows.map { row in zip(row, input).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// `x` as the integer kernels see it: each block of 32 quantized by the reference quantizer, d · q, with
    /// one scale per `blocksPerScale` blocks (from their max |x|).
    static func quantizedActivations(_ x: [Float], blocksPerScale group: Int = 1) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        var q = [Int8](repeating: 0, count: 32)
        for b in 0..<(x.count / 32) {
            let first = b / group * group * 32
            let amax = x[first..<(first + 32 * group)].map(abs).max()!
            let (d, _) = x.withUnsafeBufferPointer {
                Q8Activations.quantizeBlockReference($0.baseAddress! + 32 * b, into: &q, amax: amax)
            }
            for j in 0..<32 { out[32 * b + j] = d * Float(q[j]) }
        }
        return out
    }

    func rmsNorm(_ x: [Float], _ w: [Float]) -> [Float] {
        let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Float(x.count)
        let s = 1 / (meanSquare + c.rmsNormEpsilon).squareRoot()
        return zip(x, w).map { $0 * s * $1 }
    }

    /// Rotates pairs of each head by position × base^(-2i/d) (divided by the frequency factors): adjacent
    /// pairs (2i, 2i+1) for llama, (i, i + d/2) for the others. `sliding`: Gemma 3's sliding-layer base, unscaled.
    func rope(_ v: [Float], heads: Int, position: Int, factors: [Float]?, sliding: Bool = false) -> [Float] {
        var out = v
        var p = Double(position)
        if !sliding, case let .linear(f) = c.ropeScaling { p /= Double(f) }
        let d = c.ropeDimensionCount
        let base = sliding ? Double(c.slidingRopeFreqBase ?? c.ropeFreqBase) : Double(c.ropeFreqBase)
        for h in 0..<heads {
            for i in 0..<(d / 2) {
                var theta = p * pow(base, -2 * Double(i) / Double(d))
                if let factors { theta /= Double(factors[i]) }
                let a = h * c.headDimension + (rotatesHalves ? i : 2 * i)
                let b = rotatesHalves ? a + d / 2 : a + 1
                let (x0, x1) = (Double(v[a]), Double(v[b]))
                out[a] = Float(x0 * cos(theta) - x1 * sin(theta))
                out[b] = Float(x0 * sin(theta) + x1 * cos(theta))
            }
        }
        return out
    }

    /// RMSNorm of each head of `v` with the (headDim) weight `w`.
    func headNorm(_ v: [Float], heads: Int, _ w: [Float]?) -> [Float] {
        guard let w else { return v }
        let hd = c.headDimension
        return (0..<heads).flatMap { h in rmsNorm(Array(v[(h * hd)..<((h + 1) * hd)]), w) }
    }

    func add(_ x: [Float], _ bias: [Float]?) -> [Float] { bias.map { zip(x, $0).map(+) } ?? x }

    /// GELU, tanh approximation.
    func gelu(_ x: Float) -> Float { 0.5 * x * (1 + tanh(0.797_884_56 * x * (1 + 0.044_715 * x * x))) }

    /// Logits (tokens.count, vocab) of every position.
    func logits(_ tokens: [Int32]) -> [[Float]] {
        let hd = c.headDimension
        let embedding = matrix("token_embd.weight")
        let output = file.tensor(named: "output.weight") != nil ? matrix("output.weight") : embedding
        let factors = vector("rope_freqs.weight")
        var keys = Array(repeating: [[Float]](), count: c.layerCount)     // [layer][position] (kvDim)
        var values = Array(repeating: [[Float]](), count: c.layerCount)
        var result: [[Float]] = []
        let layerWeights = (0..<c.layerCount).map { l in
            (attnNorm: vector("blk.\(l).attn_norm.weight")!, q: matrix("blk.\(l).attn_q.weight"),
             k: matrix("blk.\(l).attn_k.weight"), v: matrix("blk.\(l).attn_v.weight"),
             o: matrix("blk.\(l).attn_output.weight"), ffnNorm: vector("blk.\(l).ffn_norm.weight")!,
             gate: matrix("blk.\(l).ffn_gate.weight"), up: matrix("blk.\(l).ffn_up.weight"),
             down: matrix("blk.\(l).ffn_down.weight"),
             qBias: vector("blk.\(l).attn_q.bias"), kBias: vector("blk.\(l).attn_k.bias"), vBias: vector("blk.\(l).attn_v.bias"),
             qNorm: vector("blk.\(l).attn_q_norm.weight"), kNorm: vector("blk.\(l).attn_k_norm.weight"),
             postAttnNorm: vector("blk.\(l).post_attention_norm.weight"), postFfnNorm: vector("blk.\(l).post_ffw_norm.weight"))
        }
        for (pos, token) in tokens.enumerated() {
            var x = embedding.rows[Int(token)]
            if isGemma3 { x = x.map { $0 * Float(c.embeddingLength).squareRoot() } }
            for l in 0..<c.layerCount {
                let w = layerWeights[l]
                // Gemma 3: every sixth layer global, the others windowed with their own RoPE base.
                let window = isGemma3 ? (l % 6 == 5 ? nil : c.slidingWindow) : c.slidingWindow
                let sliding = isGemma3 && window != nil
                let h = rmsNorm(x, w.attnNorm)
                let q = rope(headNorm(add(matmul(w.q, h), w.qBias), heads: c.headCount, w.qNorm),
                             heads: c.headCount, position: pos, factors: factors, sliding: sliding)
                let k = rope(headNorm(add(matmul(w.k, h), w.kBias), heads: c.headCountKV, w.kNorm),
                             heads: c.headCountKV, position: pos, factors: factors, sliding: sliding)
                // Keys and values are kept as fp16, as the engine's (and llama.cpp's) cache keeps them.
                keys[l].append(k.map { Float(Float16($0)) } as [Float])
                values[l].append(add(matmul(w.v, h), w.vBias).map { Float(Float16($0)) })
                var attended = [Float](repeating: 0, count: c.queryDimension)
                for head in 0..<c.headCount {
                    let kvHead = head / (c.headCount / c.headCountKV)
                    let visible = (0...pos).filter { window == nil || pos - $0 < window! }
                    let qh = Array(q[(head * hd)..<((head + 1) * hd)])
                    let scores = visible.map { t -> Float in
                        let kh = keys[l][t][(kvHead * hd)..<((kvHead + 1) * hd)]
                        let s = zip(qh, kh).reduce(0) { $0 + $1.0 * $1.1 } / Float(hd).squareRoot()
                        return c.attentionSoftcap.map { $0 * tanh(s / $0) } ?? s
                    }
                    let m = scores.max()!
                    let e = scores.map { Foundation.exp($0 - m) }
                    let total = e.reduce(0, +)
                    for (j, t) in visible.enumerated() {
                        for i in 0..<hd { attended[head * hd + i] += e[j] / total * values[l][t][kvHead * hd + i] }
                    }
                }
                var out = matmul(w.o, attended)
                if let norm = w.postAttnNorm { out = rmsNorm(out, norm) }
                x = zip(x, out).map { $0 + $1 }
                let h2 = rmsNorm(x, w.ffnNorm)
                let g = matmul(w.gate, h2), u = matmul(w.up, h2)
                let act = isGemma3 ? zip(g, u).map { gelu($0) * $1 } : zip(g, u).map { $0 / (1 + Foundation.exp(-$0)) * $1 }
                var down = matmul(w.down, act)
                if let norm = w.postFfnNorm { down = rmsNorm(down, norm) }
                x = zip(x, down).map { $0 + $1 }
            }
            let logits = matmul(output, rmsNorm(x, vector("output_norm.weight")!))
            result.append(c.finalLogitSoftcap.map { cap in logits.map { cap * tanh($0 / cap) } } ?? logits)
        }
        return result
    }
}
