// Activations quantized to 8 bits per block of 32, for the integer kernels (`Int8Dot`): as llama.cpp does
// (its Q8_0/Q8_1 activation blocks), a matrix-vector product then multiplies bytes by bytes, 32 at a time
// (vpmaddubsw), and converts to float once per block instead of once per weight.
//
// Per block b of vector s: d = max|x| / 127, q_j = round(x_j · 127 / max|x|) (ties to even, as
// vcvtps2dq rounds), and the block's sum in floats, d · Σ q_j, which the kernels need for the constant term
// of Q4_0 (−8d) and Q4_1 (m) weights. The fast path (x86-64-v3) and the scalar reference give identical bytes.

/// The quantized form of `batch` activation vectors of `columns` floats (`columns` a multiple of 32).
///
/// Block-major and padded with zero vectors to the width of the kernels' tiles (1, a multiple of 8, or 4 for
/// K-quant batches of up to four): the blocks b of consecutive vectors are adjacent, so a tile reaches all of
/// them from one pointer (no per-vector pointers to spill), and a partial tile needs no special case. A lone
/// vector is not padded: eight times its size would no longer stay in the L1 cache beside the streaming
/// weights.
///
/// A batch of per-block scales (`interleaved`: the Q8_0/Q4_0/Q4_1 kernels) is stored eight vectors
/// at a time as (8 steps, 8 vectors, 4 bytes) per block: step k holds bytes 4k ..< 4k + 4 of each of the
/// eight, so a kernel multiplies four weights, broadcast, by eight vectors in one instruction
/// (`Int8Dot+Interleaved.swift`).
struct Q8Activations {
    let batch: Int
    let columns: Int
    /// Blocks of 32 sharing one scale: 1, or 8 for the K-quant kernels (a 256-weight super-block, whose
    /// integer sums can then be weighted by the super-block's integer sub-scales before any float).
    let blocksPerScale: Int
    /// Vectors per block row of `quants` and `scales`: `batch` rounded up to 1, 4 (K-quant batches of up to
    /// four) or a multiple of 8.
    let stride: Int
    /// Whether groups of eight vectors are interleaved by 4-byte steps (see the type's comment): batches
    /// with one scale per block.
    let interleaved: Bool
    /// Vectors per block row of `sums`: 1 for a lone vector (its sums then lie in block order, and a kernel
    /// reads eight blocks' at once), else `batch` rounded up to a multiple of 8 (read eight vectors at a time).
    let sumStride: Int
    /// (columns / 32, stride, 32) quantized values.
    let quants: UnsafeMutablePointer<Int8>
    /// (columns / 32 / blocksPerScale, stride) the scale d of each block (or group of blocks).
    let scales: UnsafeMutablePointer<Float>
    /// (columns / 32, sumStride) each block's d · Σ q.
    let sums: UnsafeMutablePointer<Float>
    /// (stride, columns / 32) each block's Σ q, exact (|Σ q| ≤ 32 · 127): vector by vector, so that two
    /// neighbouring blocks' are one 4-byte load (the interleaved Q4_K kernel's minimum terms).
    let totals: UnsafeMutablePointer<Int16>

    /// The padded width for `batch` vectors: the interleaved layout takes whole groups of eight.
    static func stride(_ batch: Int, blocksPerScale: Int) -> Int {
        batch <= 1 ? 1 : batch <= 4 && blocksPerScale > 1 ? 4 : (batch + 7) / 8 * 8
    }

    /// The width of a block row of `sums` for `batch` vectors.
    static func sumStride(_ batch: Int) -> Int { batch <= 1 ? 1 : (batch + 7) / 8 * 8 }

    var blocks: Int { columns / 32 }

    /// Bytes of storage for `batch` vectors of `columns` floats (see `init(storage:…)`).
    static func storageBytes(batch: Int, columns: Int) -> Int {
        let blocks = columns / 32
        return blocks * (stride(batch, blocksPerScale: 1) * (32 + 4 + 2) + sumStride(batch) * 4) + 64
    }

    /// Views `storage` (at least `storageBytes(batch:columns:)` bytes) as the quantized activations.
    init(storage: UnsafeMutableRawPointer, batch: Int, columns: Int, blocksPerScale: Int = 1) {
        precondition(columns % (32 * blocksPerScale) == 0)
        self.batch = batch
        self.columns = columns
        self.blocksPerScale = blocksPerScale
        stride = Self.stride(batch, blocksPerScale: blocksPerScale)
        interleaved = batch > 1 && blocksPerScale == 1
        sumStride = Self.sumStride(batch)
        let cells = columns / 32 * stride, sumCells = columns / 32 * sumStride
        let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: storage) + 63) & ~63)!
        scales = aligned.bindMemory(to: Float.self, capacity: cells + sumCells)
        sums = scales + cells
        quants = (aligned + 4 * (cells + sumCells)).bindMemory(to: Int8.self, capacity: 32 * cells)
        totals = (aligned + 4 * (cells + sumCells) + 32 * cells).bindMemory(to: Int16.self, capacity: cells)
    }

    // MARK: - Quantizing

    /// Quantizes `x`, (batch, columns) floats; the padding vectors become zeros.
    func quantize(_ x: UnsafePointer<Float>) {
        let group = blocksPerScale
        // Padding vectors: zeros (in the interleaved layout, the whole last group first).
        for b in 0..<blocks where batch < sumStride {
            if batch < stride {
                let first = interleaved ? batch / 8 * 8 : batch
                (quants + (b * stride + first) * 32).update(repeating: 0, count: (stride - first) * 32)
                if b % group == 0 { (scales + b / group * stride + batch).update(repeating: 0, count: stride - batch) }
            }
            (sums + b * sumStride + batch).update(repeating: 0, count: sumStride - batch)
        }
        if batch < stride { (totals + batch * blocks).update(repeating: 0, count: (stride - batch) * blocks) }
        // (32) one block's bytes, before they are spread over the steps of the interleaved layout.
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 32) { buffer in
            let block = buffer.baseAddress!
            for s in 0..<batch {
                for g in 0..<(blocks / group) {
                    // A group's blocks all use the group's max |x| (a lone block: its own).
                    let amax: Float? = group == 1 ? nil : Q8Activations.absoluteMaximum(x + s * columns + g * 32 * group, 32 * group)
                    for b in (g * group)..<((g + 1) * group) {
                        let (d, total) = Q8Activations.quantizeBlock(x + s * columns + b * 32, into: interleaved ? block : quants + (b * stride + s) * 32,
                                                                     amax: amax)
                        if interleaved { spread(block, b, s) }
                        scales[g * stride + s] = d
                        sums[b * sumStride + s] = d * Float(total)
                        totals[s * blocks + b] = Int16(total)
                    }
                }
            }
        }
    }

    /// Where byte j of vector `s`'s block `b` lies: its group's steps are (8 steps, 8 vectors, 4 bytes).
    @inline(__always)
    func offset(_ b: Int, _ s: Int, byte j: Int) -> Int {
        interleaved ? (b * stride + (s & ~7)) * 32 + (j >> 2) * 32 + (s & 7) * 4 + (j & 3) : (b * stride + s) * 32 + j
    }

    /// Copies one block of vector `s` into the interleaved layout, four bytes per step.
    @inline(__always)
    private func spread(_ block: UnsafePointer<Int8>, _ b: Int, _ s: Int) {
        let raw = UnsafeRawPointer(block), base = UnsafeMutableRawPointer(quants + offset(b, s, byte: 0))
        for k in 0..<8 { base.storeBytes(of: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self), toByteOffset: 32 * k, as: UInt32.self) }
    }

    /// max |x_j| over `count` floats.
    static func absoluteMaximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var m: Float = 0
        for j in 0..<count { m = max(m, abs(x[j])) }
        return m
    }

    /// Vector `s`, block `b`: (32 quantized values, d, d · Σ q), for tests.
    func block(_ b: Int, of s: Int) -> ([Int8], Float, Float) {
        ((0..<32).map { quants[offset(b, s, byte: $0)] }, scales[b / blocksPerScale * stride + s], sums[b * sumStride + s])
    }

    /// One block: writes 32 quantized values and returns (d, Σ q). `amax`: the max |x| of the block's
    /// group when it has one (else the block's own).
    @inline(__always)
    static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>, amax: Float? = nil) -> (Float, Int32) {
        #if JUDGE_X86_V3
        return quantizeBlockAVX2(x, into: q, amax: amax)
        #else
        return quantizeBlockReference(x, into: q, amax: amax)
        #endif
    }

    /// The scalar reference: the definition above, element by element.
    static func quantizeBlockReference(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>,
                                       amax groupMaximum: Float? = nil) -> (Float, Int32) {
        let amax = groupMaximum ?? absoluteMaximum(x, 32)
        let d = amax / 127
        let inverse: Float = amax != 0 ? 127 / amax : 0
        var total: Int32 = 0
        for j in 0..<32 {
            let v = Int32((x[j] * inverse).rounded(.toNearestOrEven))
            q[j] = Int8(v)
            total += v
        }
        return (d, total)
    }
}
