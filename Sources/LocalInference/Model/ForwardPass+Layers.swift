import Foundation

// The llama block for a batch of rows, top to bottom: per block
// x += Attention(RMSNorm(x)); x += SwiGLU(RMSNorm(x)), each projection one batched product.
// Reference: llama.cpp's `llm_build_llama` (RoPE type NORM: GGUF llama q/k weights are permuted by the
// converter so that adjacent pairs (2i, 2i+1) rotate together).

extension ForwardPass {
    // MARK: - Attention

    func attention(_ layer: LlamaLayer, index l: Int, count: Int) {
        let s = scratch, c = config
        let embd = c.embeddingLength, qd = c.queryDimension, kvd = c.kvDimension, hd = c.headDimension
        forRows(count) { r in rmsNorm(s.x + r * embd, weight: layer.attentionNorm, into: s.normed + r * embd) }
        if usesIntegerKernels(rows: count, layer.query, layer.key, layer.value) {
            // Decoding: q, k and v in one parallel region.
            WeightMatrix.multiply(layer.query, into: s.query, layer.key, into: s.key, layer.value, into: s.value,
                                  quantized(s.normed, rows: count, for: layer.query))
        } else {
            project(layer.query, rows: count, s.normed, into: s.query)
            project(layer.key, rows: count, s.normed, into: s.key, sameInput: true)
            project(layer.value, rows: count, s.normed, into: s.value, sameInput: true)
        }
        let positions = self.positions, caches = self.caches
        forRows(count) { r in
            let q = s.query + r * qd, k = s.key + r * kvd, v = s.value + r * kvd
            addBias(layer.queryBias, to: q)
            addBias(layer.keyBias, to: k)
            addBias(layer.valueBias, to: v)
            applyRope(q, heads: c.headCount, row: r)
            applyRope(k, heads: c.headCountKV, row: r)
            let cache = caches[r]!
            cache.key(layer: l, position: positions[r]).update(from: k, count: kvd)
            cache.value(layer: l, position: positions[r]).update(from: v, count: kvd)
        }

        // One task per (row, head): softmax(q·K / √d) V over the row's visible positions.
        let heads = c.headCount, group = c.headCount / c.headCountKV
        let window = c.slidingWindow
        let scale = 1 / Float(hd).squareRoot()
        Parallel.forRanges(count: count * heads, minimumChunk: 1) { tasks in
            for task in tasks {
                let r = task / heads, h = task % heads
                let position = positions[r], cache = caches[r]!
                let first = window.map { max(0, position - $0 + 1) } ?? 0
                let kvOffset = (h / group) * hd
                ForwardPass.attend(query: s.query + r * qd + h * hd, cache: cache, layer: l, kvOffset: kvOffset,
                                   positions: first...position, headDimension: hd, scale: scale,
                                   into: s.attended + r * qd + h * hd)
            }
        }
        project(layer.attentionOutput, rows: count, s.attended, into: s.projected)
        forRows(count) { r in
            let out = s.projected + r * embd, x = s.x + r * embd
            addBias(layer.outputBias, to: out)
            for i in 0..<embd { x[i] += out[i] }
        }
    }

    /// One head of one row: `out = Σ_t softmax_t(q·k_t · scale) v_t`, with an online softmax (a running
    /// maximum rescales what is summed so far), so positions are read once, front to back, with no
    /// score buffer.
    @inline(__always)
    static func attend(query q: UnsafePointer<Float>, cache: KVCache, layer l: Int, kvOffset: Int,
                       positions: ClosedRange<Int>, headDimension hd: Int, scale: Float,
                       into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: hd)
        var maximum = -Float.infinity
        var total: Float = 0
        for t in positions {
            let score = RowDot.dot(q, cache.key(layer: l, position: t) + kvOffset, hd) * scale
            if score > maximum {
                let shrink = expf(maximum - score)   // 0 on the first position
                total *= shrink
                if shrink != 1 { for i in 0..<hd { out[i] *= shrink } }
                maximum = score
            }
            let w = expf(score - maximum)
            total += w
            let v = cache.value(layer: l, position: t) + kvOffset
            for i in 0..<hd { out[i] += w * v[i] }
        }
        let inverse = 1 / total
        for i in 0..<hd { out[i] *= inverse }
    }

    // MARK: - Feed-forward (SwiGLU)

    func feedForward(_ layer: LlamaLayer, count: Int) {
        let s = scratch, c = config
        let embd = c.embeddingLength, ffn = c.feedForwardLength
        forRows(count) { r in rmsNorm(s.x + r * embd, weight: layer.feedForwardNorm, into: s.normed + r * embd) }
        if usesIntegerKernels(rows: count, layer.gate, layer.up) {
            // Decoding: gate, up and silu(gate) · up in one parallel region, each chunk on its own rows.
            let a = quantized(s.normed, rows: count, for: layer.gate)
            Parallel.forRanges(count: ffn, minimumChunk: count == 1 ? 16 : 4) { range in
                layer.gate.multiplyRows(range, a, into: s.gate)
                layer.up.multiplyRows(range, a, into: s.up)
                for r in 0..<count { ForwardPass.swiGLU(s.gate + r * ffn, s.up + r * ffn, range) }
            }
        } else {
            project(layer.gate, rows: count, s.normed, into: s.gate)
            project(layer.up, rows: count, s.normed, into: s.up, sameInput: true)
            forRows(count) { r in ForwardPass.swiGLU(s.gate + r * ffn, s.up + r * ffn, 0..<ffn) }
        }
        project(layer.down, rows: count, s.gate, into: s.projected)
        forRows(count) { r in
            let out = s.projected + r * embd, x = s.x + r * embd
            for i in 0..<embd { x[i] += out[i] }
        }
    }

    // MARK: - Pieces

    /// `gate[i] = silu(gate[i]) · up[i]` for i in `range`.
    @inline(__always)
    static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ range: Range<Int>) {
        for i in range {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// `body(r)` for every row, split over the workers when there are many rows.
    @inline(__always)
    func forRows(_ count: Int, _ body: (Int) -> Void) {
        Parallel.forRanges(count: count, minimumChunk: 8) { rows in for r in rows { body(r) } }
    }

    /// `out = x / sqrt(mean(x²) + ε) * weight` over one row (sum of squares in double, as ggml does).
    func rmsNorm(_ x: UnsafePointer<Float>, weight: [Float], into out: UnsafeMutablePointer<Float>) {
        let count = config.embeddingLength
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

    /// cos/sin of every rotated pair at each row's position (shared by all heads and layers of the row).
    func prepareRope(count: Int) {
        let s = scratch, pairs = inverseFrequencies.count
        var divisor: Float = 1
        if case let .linear(factor) = config.ropeScaling { divisor = factor }
        for r in 0..<count {
            let p = Float(positions[r]) / divisor
            for i in 0..<pairs {
                let theta = p * inverseFrequencies[i]
                s.ropeCos[r * pairs + i] = cosf(theta)
                s.ropeSin[r * pairs + i] = sinf(theta)
            }
        }
    }

    /// Rotates the pairs (2i, 2i + 1), i < ropeDim / 2, of each head of `v` (heads * headDim) at row `r`'s position.
    private func applyRope(_ v: UnsafeMutablePointer<Float>, heads: Int, row r: Int) {
        let s = scratch, hd = config.headDimension, pairs = inverseFrequencies.count
        let cosines = s.ropeCos + r * pairs, sines = s.ropeSin + r * pairs
        for h in 0..<heads {
            let head = v + h * hd
            for i in 0..<pairs {
                let x0 = head[2 * i], x1 = head[2 * i + 1]
                let cos = cosines[i], sin = sines[i]
                head[2 * i] = x0 * cos - x1 * sin
                head[2 * i + 1] = x0 * sin + x1 * cos
            }
        }
    }
}
