import Foundation

// The llama forward pass for one token, top to bottom: embedding, then per block
// x += Attention(RMSNorm(x)); x += SwiGLU(RMSNorm(x)), then the final norm and the output head.
// Reference: llama.cpp's `llm_build_llama` (RoPE type NORM: GGUF llama q/k weights are permuted by the
// converter so that adjacent pairs (2i, 2i+1) rotate together).

extension InferenceContext {
    /// Runs `token` at `position`, writing its K/V into the cache and, if `logits` is given, the (vocab) logits.
    func forward(token: Int, position: Int, logits: UnsafeMutablePointer<Float>?) {
        let s = scratch
        model.tokenEmbedding.dequantizeRow(token, into: s.x)
        prepareRope(position: position)
        for (index, layer) in model.layers.enumerated() {
            attention(layer, index: index, position: position)
            feedForward(layer)
        }
        guard let logits else { return }
        rmsNorm(s.x, weight: model.outputNorm, into: s.normed, count: config.embeddingLength)
        model.output.multiply(s.normed, into: logits)
    }

    // MARK: - Attention

    private func attention(_ layer: LlamaLayer, index l: Int, position: Int) {
        let s = scratch, c = config
        let hd = c.headDimension
        rmsNorm(s.x, weight: layer.attentionNorm, into: s.normed, count: c.embeddingLength)
        let key = cache.key(layer: l, position: position)       // (kvHeads * headDim)
        let value = cache.value(layer: l, position: position)   // (kvHeads * headDim)
        layer.query.multiply(s.normed, into: s.query)
        layer.key.multiply(s.normed, into: key)
        layer.value.multiply(s.normed, into: value)
        addBias(layer.queryBias, to: s.query)
        addBias(layer.keyBias, to: key)
        addBias(layer.valueBias, to: value)
        applyRope(s.query, heads: c.headCount)
        applyRope(key, heads: c.headCountKV)

        let group = c.headCount / c.headCountKV
        let first = c.slidingWindow.map { max(0, position - $0 + 1) } ?? 0
        let scale = 1 / Float(hd).squareRoot()
        let contextLength = self.contextLength
        let cache = self.cache
        Parallel.forRanges(count: c.headCount, minimumChunk: 1) { heads in
            for h in heads {
                let q = s.query + h * hd
                let kvOffset = (h / group) * hd
                let scores = s.scores + h * contextLength   // (contextLength), positions first...position used
                var maximum = -Float.infinity
                for t in first...position {
                    let score = RowDot.dot(q, cache.key(layer: l, position: t) + kvOffset, hd) * scale
                    scores[t] = score
                    maximum = max(maximum, score)
                }
                var total: Float = 0
                for t in first...position {
                    let e = expf(scores[t] - maximum)
                    scores[t] = e
                    total += e
                }
                let out = s.attended + h * hd
                out.update(repeating: 0, count: hd)
                let inverse = 1 / total
                for t in first...position {
                    let w = scores[t] * inverse
                    let v = cache.value(layer: l, position: t) + kvOffset
                    for i in 0..<hd { out[i] += w * v[i] }
                }
            }
        }
        layer.attentionOutput.multiply(s.attended, into: s.projected)
        addBias(layer.outputBias, to: s.projected)
        for i in 0..<c.embeddingLength { s.x[i] += s.projected[i] }
    }

    // MARK: - Feed-forward (SwiGLU)

    private func feedForward(_ layer: LlamaLayer) {
        let s = scratch, c = config
        rmsNorm(s.x, weight: layer.feedForwardNorm, into: s.normed, count: c.embeddingLength)
        layer.gate.multiply(s.normed, into: s.gate)
        layer.up.multiply(s.normed, into: s.up)
        for i in 0..<c.feedForwardLength {
            let g = s.gate[i]
            s.gate[i] = g / (1 + expf(-g)) * s.up[i]   // silu(gate) * up
        }
        layer.down.multiply(s.gate, into: s.projected)
        for i in 0..<c.embeddingLength { s.x[i] += s.projected[i] }
    }

    // MARK: - Pieces

    /// `out = x / sqrt(mean(x²) + ε) * weight` (sum of squares in double, as ggml does).
    private func rmsNorm(_ x: UnsafePointer<Float>, weight: [Float], into out: UnsafeMutablePointer<Float>, count: Int) {
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let scale = 1 / (Float(sum / Double(count)) + config.rmsNormEpsilon).squareRoot()
        weight.withUnsafeBufferPointer { w in
            for i in 0..<count { out[i] = x[i] * scale * w[i] }
        }
    }

    private func addBias(_ bias: [Float]?, to v: UnsafeMutablePointer<Float>) {
        guard let bias else { return }
        for i in bias.indices { v[i] += bias[i] }
    }

    /// cos/sin of every rotated pair at `position` (shared by all heads and layers of this token).
    private func prepareRope(position: Int) {
        let s = scratch
        var p = Float(position)
        if case let .linear(factor) = config.ropeScaling { p /= factor }
        for i in s.inverseFrequencies.indices {
            let theta = p * s.inverseFrequencies[i]
            s.ropeCos[i] = cosf(theta)
            s.ropeSin[i] = sinf(theta)
        }
    }

    /// Rotates the pairs (2i, 2i + 1), i < ropeDim / 2, of each head of `v` (heads * headDim).
    private func applyRope(_ v: UnsafeMutablePointer<Float>, heads: Int) {
        let s = scratch, hd = config.headDimension, pairs = config.ropeDimensionCount / 2
        for h in 0..<heads {
            let head = v + h * hd
            for i in 0..<pairs {
                let x0 = head[2 * i], x1 = head[2 * i + 1]
                let cos = s.ropeCos[i], sin = s.ropeSin[i]
                head[2 * i] = x0 * cos - x1 * sin
                head[2 * i + 1] = x0 * sin + x1 * cos
            }
        }
    }
}
