import Foundation
@testable import LocalInference

/// A plain, obviously-correct fp32 llama forward pass for checking the engine: every weight dequantized up
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

    /// Rotates adjacent pairs of each head by position × base^(-2i/d) (divided by the frequency factors).
    func rope(_ v: [Float], heads: Int, position: Int, factors: [Float]?) -> [Float] {
        var out = v
        var p = Double(position)
        if case let .linear(f) = c.ropeScaling { p /= Double(f) }
        let d = c.ropeDimensionCount
        for h in 0..<heads {
            for i in 0..<(d / 2) {
                var theta = p * pow(Double(c.ropeFreqBase), -2 * Double(i) / Double(d))
                if let factors { theta /= Double(factors[i]) }
                let a = h * c.headDimension + 2 * i
                let (x0, x1) = (Double(v[a]), Double(v[a + 1]))
                out[a] = Float(x0 * cos(theta) - x1 * sin(theta))
                out[a + 1] = Float(x0 * sin(theta) + x1 * cos(theta))
            }
        }
        return out
    }

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
             down: matrix("blk.\(l).ffn_down.weight"))
        }
        for (pos, token) in tokens.enumerated() {
            var x = embedding.rows[Int(token)]
            for l in 0..<c.layerCount {
                let w = layerWeights[l]
                let h = rmsNorm(x, w.attnNorm)
                let q = rope(matmul(w.q, h), heads: c.headCount, position: pos, factors: factors)
                // Keys and values are kept as fp16, as the engine's (and llama.cpp's) cache keeps them.
                keys[l].append(rope(matmul(w.k, h), heads: c.headCountKV, position: pos, factors: factors).map { Float(Float16($0)) } as [Float])
                values[l].append(matmul(w.v, h).map { Float(Float16($0)) })
                var attended = [Float](repeating: 0, count: c.queryDimension)
                for head in 0..<c.headCount {
                    let kvHead = head / (c.headCount / c.headCountKV)
                    let visible = (0...pos).filter { c.slidingWindow == nil || pos - $0 < c.slidingWindow! }
                    let qh = Array(q[(head * hd)..<((head + 1) * hd)])
                    let scores = visible.map { t -> Float in
                        let kh = keys[l][t][(kvHead * hd)..<((kvHead + 1) * hd)]
                        return zip(qh, kh).reduce(0) { $0 + $1.0 * $1.1 } / Float(hd).squareRoot()
                    }
                    let m = scores.max()!
                    let e = scores.map { Foundation.exp($0 - m) }
                    let total = e.reduce(0, +)
                    for (j, t) in visible.enumerated() {
                        for i in 0..<hd { attended[head * hd + i] += e[j] / total * values[l][t][kvHead * hd + i] }
                    }
                }
                x = zip(x, matmul(w.o, attended)).map { $0 + $1 }
                let h2 = rmsNorm(x, w.ffnNorm)
                let g = matmul(w.gate, h2), u = matmul(w.up, h2)
                let act = zip(g, u).map { $0 / (1 + Foundation.exp(-$0)) * $1 }
                x = zip(x, matmul(w.down, act)).map { $0 + $1 }
            }
            result.append(matmul(output, rmsNorm(x, vector("output_norm.weight")!)))
        }
        return result
    }
}
