import Foundation

// MARK: - ForwardPass

/// The llama forward pass over a batch of rows, each row one token of some sequence at some position.
///
/// One pass serves prompt processing (many rows of one sequence at consecutive positions) and batched
/// decoding (one row for each of several sequences) alike: every weight matrix is read once per batch,
/// as one (rows, in) × (in, out) product, while RMSNorm, RoPE and attention work row by row against each
/// row's own KV cache. Causality inside a chunk needs no mask: all rows' keys and values are written
/// before attention reads them, and a row reads only positions up to its own.
///
/// Scratch buffers are allocated once for `capacity` rows and grow only when a larger batch comes; no
/// step allocates. Not thread-safe: one caller at a time (it parallelizes internally).
final class ForwardPass {
    let model: LlamaModel
    let config: ModelConfiguration
    /// Rows the scratch holds now.
    private(set) var capacity: Int
    private(set) var scratch: BatchScratch
    /// (ropeDim / 2) θ_i = base^(-2i/ropeDim) / factor_i, shared by every row: [0] for the global layers,
    /// [1] for the sliding-window layers when they have their own base (Gemma 3).
    let inverseFrequencies: [[Float]]
    /// Dequantized weight tiles for the sgemm path, one buffer per worker; made on first use.
    private var gemmWorkspace: GEMMWorkspace?
    /// The 8-bit activations of the last integer-kernel projection: `Q8Activations` storage, its size,
    /// and the input it holds (pointer, rows, blocks per scale), so that projections of one input quantize it once.
    private var quantizedBuffer: UnsafeMutableRawPointer?
    private var quantizedCapacity = 0
    private var quantizedInput: (UnsafePointer<Float>, Int, Int)?
    /// Rows from which projections use sgemm (`EngineConfiguration.gemmMinimumBatch`; tests lower or raise it
    /// to reach either path).
    var gemmThreshold: Int
    /// The model's worker threads.
    let parallel: Parallel

    // MARK: Rows of the current batch (set by `setRow`, read by `run`)

    /// (capacity) token of each row.
    private(set) var tokens: [Int]
    /// (capacity) position of each row in its sequence.
    private(set) var positions: [Int]
    /// (capacity) the KV cache of each row's sequence.
    private(set) var caches: [KVCache?]

    init(model: LlamaModel, capacity: Int) {
        self.model = model
        config = model.configuration
        parallel = model.parallel
        gemmThreshold = model.engine.gemmMinimumBatch
        self.capacity = max(1, capacity)
        scratch = BatchScratch(config: config, rows: self.capacity)
        tokens = Array(repeating: 0, count: self.capacity)
        positions = Array(repeating: 0, count: self.capacity)
        caches = Array(repeating: nil, count: self.capacity)
        let c = config
        func frequencies(base: Float, factors: [Float]?) -> [Float] {
            (0..<(c.ropeDimensionCount / 2)).map { i in
                let theta = pow(Double(base), -2.0 * Double(i) / Double(c.ropeDimensionCount))
                return Float(theta / Double(factors?[i] ?? 1))
            }
        }
        inverseFrequencies = [frequencies(base: c.ropeFreqBase, factors: model.ropeFrequencyFactors)]
            + (c.slidingRopeFreqBase.map { [frequencies(base: $0, factors: nil)] } ?? [])
    }

    /// Which of `inverseFrequencies` (and of the scratch's cos/sin tables) layer `l` uses.
    @inline(__always)
    func ropeKind(layer l: Int) -> Int {
        inverseFrequencies.count > 1 && config.slidingWindow(layer: l) != nil ? 1 : 0
    }

    /// Makes room for `rows` rows (a rare reallocation; never during a step).
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        capacity = rows
        scratch = BatchScratch(config: config, rows: rows)
        tokens = Array(repeating: 0, count: rows)
        positions = Array(repeating: 0, count: rows)
        caches = Array(repeating: nil, count: rows)
    }

    /// Row `r` of the next `run`: `token` at `position` of the sequence whose cache is `cache`.
    @inline(__always)
    func setRow(_ r: Int, token: Int, position: Int, cache: KVCache) {
        tokens[r] = token
        positions[r] = position
        caches[r] = cache
    }

    // MARK: - The pass

    /// Evaluates rows `0..<count` (set with `setRow`), writing their keys and values into their caches and
    /// the logits of rows `firstKept..<count` into `logits`, (count - firstKept, vocab), when given.
    func run(count: Int, firstKept: Int, logits: UnsafeMutablePointer<Float>?) {
        precondition(count <= capacity && firstKept <= count)
        let s = scratch, embd = config.embeddingLength
        // Gemma scales the embeddings by √embd (in fp32, as llama.cpp's ggml_scale).
        let embeddingScale: Float? = model.architecture.scalesEmbedding ? Float(embd).squareRoot() : nil
        for r in 0..<count {
            let row = s.x + r * embd
            model.tokenEmbedding.dequantizeRow(tokens[r], into: row)
            if let embeddingScale { for i in 0..<embd { row[i] *= embeddingScale } }
        }
        prepareRope(count: count)
        for (index, layer) in model.layers.enumerated() {
            attention(layer, index: index, count: count)
            feedForward(layer, count: count)
        }
        #if DEBUG
        for r in 0..<count { caches[r]!._checkInvariants(through: positions[r] + 1) }
        #endif
        guard let logits, firstKept < count else { return }
        let kept = count - firstKept
        for r in firstKept..<count {
            rmsNorm(s.x + r * embd, weight: model.outputNorm, into: s.normed + (r - firstKept) * embd)
        }
        project(model.output, rows: kept, s.normed, into: logits)
        if let cap = config.finalLogitSoftcap {
            let n = kept * config.vocabularySize
            for i in 0..<n { logits[i] = cap * tanhf(logits[i] / cap) }
        }
    }

    /// `y = x Wᵀ` for `rows` activation rows: sgemm on dequantized tiles for large batches, else the
    /// quantized kernels. x is (rows, w.columns), y is (rows, w.rows).
    ///
    /// `sameInput`: `x` is the input of the previous call, unchanged (q/k/v, gate/up), so its 8-bit
    /// quantization for the integer kernels is reused rather than redone.
    func project(_ w: WeightMatrix, rows: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                 sameInput: Bool = false) {
        if usesIntegerKernels(w, rows: rows) {
            return w.multiply(quantized(x, rows: rows, for: w, sameInput: sameInput), into: y, on: parallel)
        }
        quantizedInput = nil   // a later `sameInput` call must not reuse an older quantization
        if rows >= gemmThreshold {
            if gemmWorkspace == nil { gemmWorkspace = GEMMWorkspace(model: model) }
            w.multiplyDequantized(batch: rows, x, into: y, workspace: gemmWorkspace!, on: parallel)
        } else {
            w.multiply(batch: rows, x, into: y, on: parallel)
        }
    }

    /// `x`, (rows, columns), quantized for the integer kernels; with `sameInput`, the quantization the
    /// previous call made of the same `x` (q/k/v, gate/up share an input).
    func quantized(_ x: UnsafePointer<Float>, rows: Int, for w: WeightMatrix, sameInput: Bool = false) -> Q8Activations {
        let group = Int8Dot.blocksPerScale(w.type)
        let a = Q8Activations(storage: quantizedStorage(rows: rows, columns: w.columns), batch: rows, columns: w.columns,
                              blocksPerScale: group)
        if !(sameInput && quantizedInput.map { $0.0 == x && $0.1 == rows && $0.2 == group } == true) { a.quantize(x) }
        quantizedInput = (x, rows, group)
        return a
    }

    /// Whether a batch of `rows` rows multiplies `a`, `b` (and `c`) of one input with the integer kernels, all
    /// reading the same activation format. (Fixed arity, not variadic: called per layer, it must not allocate.)
    func usesIntegerKernels(rows: Int, _ a: WeightMatrix, _ b: WeightMatrix, _ c: WeightMatrix? = nil) -> Bool {
        func fits(_ w: WeightMatrix) -> Bool {
            usesIntegerKernels(w, rows: rows) && Int8Dot.blocksPerScale(w.type) == Int8Dot.blocksPerScale(a.type)
        }
        return fits(a) && fits(b) && (c.map(fits) ?? true)
    }

    /// Whether `w` multiplies `rows` rows with the integer kernels rather than sgemm: below `gemmThreshold`
    /// rows, or at any size when its rows are interleaved (their kernels beat sgemm on dequantized tiles at
    /// every batch measured: 7B Q4_0 pp128 0.94 against 0.57 tokens/s, BENCHMARKS.md "Engine speed, 7B").
    func usesIntegerKernels(_ w: WeightMatrix, rows: Int) -> Bool {
        Int8Dot.handles(w.type) && (rows < gemmThreshold || w.layout == .interleaved)
    }

    /// Storage for `rows` quantized activation vectors of `columns` (grown rarely, never shrunk).
    private func quantizedStorage(rows: Int, columns: Int) -> UnsafeMutableRawPointer {
        let bytes = Q8Activations.storageBytes(batch: rows, columns: columns)
        if bytes > quantizedCapacity {
            quantizedBuffer?.deallocate()
            quantizedBuffer = .allocate(byteCount: bytes, alignment: 64)
            quantizedCapacity = bytes
            quantizedInput = nil
        }
        return quantizedBuffer!
    }

    deinit { quantizedBuffer?.deallocate() }
}

// MARK: - BatchScratch

/// Activations of up to `rows` rows; allocated once per pass, uninitialized (pages commit as they are used).
final class BatchScratch {
    let rows: Int
    let x: UnsafeMutablePointer<Float>          // (rows, embd) residual stream
    let normed: UnsafeMutablePointer<Float>     // (rows, embd) RMSNorm output
    let query: UnsafeMutablePointer<Float>      // (rows, heads * headDim)
    let key: UnsafeMutablePointer<Float>        // (rows, kvHeads * headDim) before it is copied to the caches
    let value: UnsafeMutablePointer<Float>      // (rows, kvHeads * headDim)
    let attended: UnsafeMutablePointer<Float>   // (rows, heads * headDim) attention output before attn_output
    let projected: UnsafeMutablePointer<Float>  // (rows, embd) attn_output / ffn_down output
    let gate: UnsafeMutablePointer<Float>       // (rows, ffn)
    let up: UnsafeMutablePointer<Float>         // (rows, ffn)
    let ropeCos: UnsafeMutablePointer<Float>    // (ropeKinds, rows, ropeDim / 2) at each row's position
    let ropeSin: UnsafeMutablePointer<Float>    // (ropeKinds, rows, ropeDim / 2)
    private let all: [UnsafeMutablePointer<Float>]

    init(config c: ModelConfiguration, rows: Int) {
        self.rows = rows
        func buffer(_ width: Int) -> UnsafeMutablePointer<Float> { .allocate(capacity: max(1, rows * width)) }
        x = buffer(c.embeddingLength)
        normed = buffer(c.embeddingLength)
        query = buffer(c.queryDimension)
        key = buffer(c.kvDimension)
        value = buffer(c.kvDimension)
        attended = buffer(c.queryDimension)
        projected = buffer(c.embeddingLength)
        gate = buffer(c.feedForwardLength)
        up = buffer(c.feedForwardLength)
        let ropeTables = c.slidingRopeFreqBase == nil ? 1 : 2
        ropeCos = buffer(ropeTables * c.ropeDimensionCount / 2)
        ropeSin = buffer(ropeTables * c.ropeDimensionCount / 2)
        all = [x, normed, query, key, value, attended, projected, gate, up, ropeCos, ropeSin]
    }

    deinit { for p in all { p.deallocate() } }
}
