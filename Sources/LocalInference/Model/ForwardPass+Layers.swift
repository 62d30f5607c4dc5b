import Foundation

// The block for a batch of rows, top to bottom: per block
// x += Attention(RMSNorm(x)); x += SwiGLU(RMSNorm(x)), each projection one batched product.
// Reference: llama.cpp's `llm_build_llama` (RoPE type NORM: GGUF llama q/k weights are permuted by the
// converter so that adjacent pairs (2i, 2i+1) rotate together). The other architectures change pieces of it
// (`Architecture`): Qwen2 adds q/k/v biases and rotates halves (NEOX); Gemma 3 also normalizes each q/k head
// before RoPE, normalizes the attention and feed-forward outputs before their residual adds, gates with
// GELU-tanh, and alternates sliding-window and global layers, each kind with its own RoPE base.

extension ForwardPass {
    // MARK: - Attention

    func attention(_ layer: LlamaLayer, index l: Int, count: Int) {
        let s = scratch, c = config
        let embd = c.embeddingLength, qd = c.queryDimension, kvd = c.kvDimension, hd = c.headDimension
        forRows(count) { r in rmsNorm(s.x + r * embd, weight: layer.attentionNorm, into: s.normed + r * embd) }
        if usesIntegerKernels(rows: count, layer.query, layer.key, layer.value) {
            // Decoding: q, k and v in one parallel region.
            WeightMatrix.multiply(layer.query, into: s.query, layer.key, into: s.key, layer.value, into: s.value,
                                  quantized(s.normed, rows: count, for: layer.query), on: parallel)
        } else {
            project(layer.query, rows: count, s.normed, into: s.query)
            project(layer.key, rows: count, s.normed, into: s.key, sameInput: true)
            project(layer.value, rows: count, s.normed, into: s.value, sameInput: true)
        }
        let positions = self.positions, caches = self.caches
        let kind = ropeKind(layer: l)
        forRows(count) { r in
            let q = s.query + r * qd, k = s.key + r * kvd, v = s.value + r * kvd
            addBias(layer.queryBias, to: q)
            addBias(layer.keyBias, to: k)
            addBias(layer.valueBias, to: v)
            if let norm = layer.queryNorm {
                for h in 0..<c.headCount { rmsNorm(q + h * hd, weight: norm, into: q + h * hd) }
            }
            if let norm = layer.keyNorm {
                for h in 0..<c.headCountKV { rmsNorm(k + h * hd, weight: norm, into: k + h * hd) }
            }
            applyRope(q, heads: c.headCount, row: r, kind: kind)
            applyRope(k, heads: c.headCountKV, row: r, kind: kind)
            let cache = caches[r]!
            cache.store(key: k, value: v, layer: l, position: positions[r])
        }

        // One task per (row, head): softmax(q·K / √d) V over the row's visible positions.
        let heads = c.headCount, group = c.headCount / c.headCountKV
        let window = c.slidingWindow(layer: l)
        let scale = c.attentionScale, softcap = c.attentionSoftcap ?? 0
        parallel.forRanges(count: count * heads, minimumChunk: 1) { tasks in
            var longest = 0   // most visible positions of the chunk's rows
            for r in (tasks.lowerBound / heads)...((tasks.upperBound - 1) / heads) { longest = max(longest, positions[r] + 1) }
            // (longest) the scores of one task at a time.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: longest) { scores in
                for task in tasks {
                    let r = task / heads, h = task % heads
                    let position = positions[r], cache = caches[r]!
                    let first = window.map { max(0, position - $0 + 1) } ?? 0
                    let kvOffset = (h / group) * hd
                    ForwardPass.attend(query: s.query + r * qd + h * hd, cache: cache, layer: l, kvOffset: kvOffset,
                                       positions: first...position, headDimension: hd, scale: scale, softcap: softcap,
                                       scores: scores.baseAddress!, into: s.attended + r * qd + h * hd)
                }
            }
        }
        project(layer.attentionOutput, rows: count, s.attended, into: s.projected)
        forRows(count) { r in
            let out = s.projected + r * embd, x = s.x + r * embd
            addBias(layer.outputBias, to: out)
            if let norm = layer.attentionPostNorm { rmsNorm(out, weight: norm, into: out) }
            for i in 0..<embd { x[i] += out[i] }
        }
    }

    /// One head of one row: `out = Σ_t softmax_t(q·k_t · scale) v_t`, in three passes: the scores, four
    /// positions at a time; their exponentials, eight at a time; then the weighted sum of the values, 32
    /// columns at a time in registers. (An online softmax, one pass, chained every position on the one
    /// before — the running maximum, a horizontal sum, the output kept in memory.) `scores` holds at least
    /// `positions.count` floats. `softcap` > 0 maps each scaled score s to softcap · tanh(s / softcap).
    @inline(__always)
    static func attend(query q: UnsafePointer<Float>, cache: KVCache, layer l: Int, kvOffset: Int,
                       positions: ClosedRange<Int>, headDimension hd: Int, scale: Float, softcap: Float = 0,
                       scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let first = positions.lowerBound, count = positions.count
        /// (8) columns c ..< c + 8 of position `first + i`'s key.
        @inline(__always) func key(_ i: Int, _ c: Int) -> SIMD8<Float> {
            floats(UnsafeRawPointer(cache.key(layer: l, position: first + i) + kvOffset + c).loadUnaligned(as: SIMD8<Float16>.self))
        }
        // Scores four positions at a time: four independent chains of fused multiply-adds.
        let whole = hd / 8 * 8
        var i = 0
        while i < count {
            let n = min(4, count - i)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var c = 0
            while c < whole {
                let query = q.floats8(c)
                a0 = multiplyAdd(a0, query, key(i, c))
                if n > 1 { a1 = multiplyAdd(a1, query, key(i + 1, c)) }
                if n > 2 { a2 = multiplyAdd(a2, query, key(i + 2, c)) }
                if n > 3 { a3 = multiplyAdd(a3, query, key(i + 3, c)) }
                c += 8
            }
            let sums = [treeSum(a0), treeSum(a1), treeSum(a2), treeSum(a3)] as InlineArray<4, Float>
            for k in 0..<n {
                var score = sums[k]
                for c in whole..<hd { score += q[c] * Float(cache.key(layer: l, position: first + i + k)[kvOffset + c]) }
                scores[i + k] = score * scale
            }
            i += n
        }
        if softcap > 0 { for i in 0..<count { scores[i] = softcap * tanhf(scores[i] / softcap) } }
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, scores[i]) }
        // Exponentials eight at a time (the last few through the same lanes).
        var sum = SIMD8<Float>()
        i = 0
        while i < count {
            var v = SIMD8<Float>(repeating: -.infinity)
            for k in 0..<min(8, count - i) { v[k] = scores[i + k] }
            let w = exponential(v - maximum)
            for k in 0..<min(8, count - i) { scores[i + k] = w[k] }
            sum += w.replacing(with: 0, where: v .== -.infinity)   // padding lanes: not positions
            i += 8
        }
        let total = treeSum(sum)
        let inverse = 1 / total
        /// (8) columns c ..< c + 8 of position `first + i`'s value.
        @inline(__always) func value(_ i: Int, _ c: Int) -> SIMD8<Float> {
            floats(UnsafeRawPointer(cache.value(layer: l, position: first + i) + kvOffset + c).loadUnaligned(as: SIMD8<Float16>.self))
        }
        @inline(__always) func store(_ acc: SIMD8<Float>, _ c: Int) {
            UnsafeMutableRawPointer(out + c).storeBytes(of: acc * inverse, as: SIMD8<Float>.self)
        }
        var c = 0
        while c + 32 <= hd {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for i in 0..<count {
                let w = SIMD8<Float>(repeating: scores[i])
                a0 = multiplyAdd(a0, value(i, c), w); a1 = multiplyAdd(a1, value(i, c + 8), w)
                a2 = multiplyAdd(a2, value(i, c + 16), w); a3 = multiplyAdd(a3, value(i, c + 24), w)
            }
            store(a0, c); store(a1, c + 8); store(a2, c + 16); store(a3, c + 24)
            c += 32
        }
        while c + 8 <= hd {
            var a = SIMD8<Float>()
            for i in 0..<count { a = multiplyAdd(a, value(i, c), SIMD8<Float>(repeating: scores[i])) }
            store(a, c)
            c += 8
        }
        while c < hd {
            var a: Float = 0
            for i in 0..<count { a += scores[i] * Float(cache.value(layer: l, position: first + i)[kvOffset + c]) }
            out[c] = a * inverse
            c += 1
        }
    }

    // MARK: - Feed-forward (SwiGLU or GELU-tanh gated)

    func feedForward(_ layer: LlamaLayer, count: Int) {
        let s = scratch, c = config
        let embd = c.embeddingLength, ffn = c.feedForwardLength
        forRows(count) { r in rmsNorm(s.x + r * embd, weight: layer.feedForwardNorm, into: s.normed + r * embd) }
        if usesIntegerKernels(rows: count, layer.gate, layer.up) {
            // Decoding: gate, up and silu(gate) · up in one parallel region, each chunk on its own rows.
            let a = quantized(s.normed, rows: count, for: layer.gate)
            let gelu = model.architecture.activation == .geluTanh
            parallel.forRanges(count: ffn, minimumChunk: count == 1 ? 16 : 4, alignment: 8) { range in
                layer.gate.multiplyRows(range, a, into: s.gate)
                layer.up.multiplyRows(range, a, into: s.up)
                for r in 0..<count {
                    if gelu {
                        ForwardPass.geluGate(s.gate + r * ffn, s.up + r * ffn, range)
                    } else {
                        ForwardPass.swiGLU(s.gate + r * ffn, s.up + r * ffn, range)
                    }
                }
            }
        } else {
            project(layer.gate, rows: count, s.normed, into: s.gate)
            project(layer.up, rows: count, s.normed, into: s.up, sameInput: true)
            let gelu = model.architecture.activation == .geluTanh
            forRows(count) { r in
                if gelu {
                    ForwardPass.geluGate(s.gate + r * ffn, s.up + r * ffn, 0..<ffn)
                } else {
                    ForwardPass.swiGLU(s.gate + r * ffn, s.up + r * ffn, 0..<ffn)
                }
            }
        }
        project(layer.down, rows: count, s.gate, into: s.projected)
        forRows(count) { r in
            let out = s.projected + r * embd, x = s.x + r * embd
            if let norm = layer.feedForwardPostNorm { rmsNorm(out, weight: norm, into: out) }
            for i in 0..<embd { x[i] += out[i] }
        }
    }

    // MARK: - Pieces

    /// `gate[i] = silu(gate[i]) · up[i]` for i in `range`, eight at a time (`exponential`); the last few
    /// through the same lanes, so a value never depends on where a range starts or ends.
    @inline(__always)
    static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ range: Range<Int>) {
        gatedUnit(gate, up, range) { g, u in g / (1 + exponential(-g)) * u }
    }

    /// `gate[i] = gelu(gate[i]) · up[i]` for i in `range`, GELU with the tanh approximation as ggml computes
    /// it, `0.5 x (1 + tanh(√(2/π) x (1 + 0.044715 x²)))`, eight at a time; tanh(u) = 1 − 2 / (e^{2u} + 1).
    @inline(__always)
    static func geluGate(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ range: Range<Int>) {
        gatedUnit(gate, up, range) { x, u in
            let inner = 0.797_884_56 * x * (1 + 0.044_715 * x * x)
            let tanh = 1 - 2 / (exponential(2 * inner) + 1)
            return 0.5 * x * (1 + tanh) * u
        }
    }

    /// `gate[i] = activation(gate[i], up[i])` for i in `range`, eight lanes at a time; the last few through
    /// the same lanes (padded), so a value never depends on where a range starts or ends. Inlined with its
    /// activation into each caller, so the closure costs nothing.
    @inline(__always)
    static func gatedUnit(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ range: Range<Int>,
                          _ activation: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) {
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            UnsafeMutableRawPointer(gate + i).storeBytes(of: activation(UnsafePointer(gate).floats8(i), up.floats8(i)), as: SIMD8<Float>.self)
            i += 8
        }
        if i < range.upperBound {
            var g = SIMD8<Float>(), u = SIMD8<Float>()
            for j in 0..<(range.upperBound - i) { g[j] = gate[i + j]; u[j] = up[i + j] }
            let y = activation(g, u)
            for j in 0..<(range.upperBound - i) { gate[i + j] = y[j] }
        }
    }

    /// `body(r)` for every row, split over the workers when there are many rows (64 rows a chunk): for a
    /// decoding batch's norms, RoPE and residual adds, a parallel region's synchronization cost more than the
    /// work (16 sequences, chunks of 8 against 64, A/B: median of seven runs 631 against 658 tokens/s).
    @inline(__always)
    func forRows(_ count: Int, _ body: (Int) -> Void) {
        parallel.forRanges(count: count, minimumChunk: 64) { rows in for r in rows { body(r) } }
    }

    /// `out = x / sqrt(mean(x²) + ε) * weight` over one row of `weight.count` values (sum of squares in
    /// double, as ggml does); `out` may be `x`.
    func rmsNorm(_ x: UnsafePointer<Float>, weight: [Float], into out: UnsafeMutablePointer<Float>) {
        let count = weight.count
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

    /// cos/sin of every rotated pair at each row's position (shared by all heads and layers of the row), for
    /// each RoPE kind. Linear scaling applies to the global layers only (llama.cpp's `rope_freq_scale_train_swa`
    /// is 1).
    func prepareRope(count: Int) {
        let s = scratch
        for (kind, frequencies) in inverseFrequencies.enumerated() {
            let pairs = frequencies.count, table = kind * scratch.rows * pairs
            var divisor: Float = 1
            if kind == 0, case let .linear(factor) = config.ropeScaling { divisor = factor }
            for r in 0..<count {
                let p = Float(positions[r]) / divisor
                for i in 0..<pairs {
                    let theta = p * frequencies[i]
                    s.ropeCos[table + r * pairs + i] = cosf(theta)
                    s.ropeSin[table + r * pairs + i] = sinf(theta)
                }
            }
        }
    }

    /// Rotates the pairs of each head of `v` (heads * headDim) at row `r`'s position with RoPE kind `kind`:
    /// (2i, 2i + 1) or (i, i + ropeDim / 2), i < ropeDim / 2, as the architecture's `ropeStyle` says.
    private func applyRope(_ v: UnsafeMutablePointer<Float>, heads: Int, row r: Int, kind: Int) {
        let s = scratch, hd = config.headDimension, pairs = inverseFrequencies[kind].count
        let table = kind * scratch.rows * pairs
        let cosines = s.ropeCos + table + r * pairs, sines = s.ropeSin + table + r * pairs
        let halves = model.architecture.ropeStyle == .halves
        for h in 0..<heads {
            let head = v + h * hd
            for i in 0..<pairs {
                let a = halves ? i : 2 * i, b = halves ? i + pairs : 2 * i + 1
                let x0 = head[a], x1 = head[b]
                let cos = cosines[i], sin = sines[i]
                head[a] = x0 * cos - x1 * sin
                head[b] = x0 * sin + x1 * cos
            }
        }
    }
}
