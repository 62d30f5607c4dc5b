// Activations quantized to 8 bits per block of 32, for the integer kernels (`Int8Dot`): as llama.cpp does
// (its Q8_0/Q8_1 activation blocks), a matrix-vector product then multiplies bytes by bytes, 32 at a time
// (vpmaddubsw), and converts to float once per block instead of once per weight.
//
// Per block b of vector s: d = max|x| / 127, q_j = round(x_j · 127 / max|x|) (ties to even, as
// vcvtps2dq rounds), and the block's sum in floats, d · Σ q_j, which the kernels need for the constant term
// of Q4_0 (−8d) and Q4_1 (m) weights. The fast path (x86-64-v3) and the scalar reference give identical bytes.

/// The quantized form of `batch` activation vectors of `columns` floats (`columns` a multiple of 32).
struct Q8Activations {
    let batch: Int
    let columns: Int
    /// (batch, columns) quantized values.
    let quants: UnsafeMutablePointer<Int8>
    /// (batch, columns / 32) each block's scale d.
    let scales: UnsafeMutablePointer<Float>
    /// (columns / 32, sumStride) each block's d · Σ q, block-major so that the sums of eight consecutive
    /// vectors are one load; lanes past `batch` are zero.
    let sums: UnsafeMutablePointer<Float>
    /// `batch` rounded up to a multiple of 8.
    let sumStride: Int

    var blocks: Int { columns / 32 }

    /// Bytes of storage for `batch` vectors of `columns` floats (see `init(storage:…)`).
    static func storageBytes(batch: Int, columns: Int) -> Int {
        let blocks = columns / 32, stride = (batch + 7) / 8 * 8
        return batch * columns + 4 * (batch * blocks + blocks * stride) + 64
    }

    /// Views `storage` (at least `storageBytes(batch:columns:)` bytes) as the quantized activations.
    init(storage: UnsafeMutableRawPointer, batch: Int, columns: Int) {
        precondition(columns % 32 == 0)
        self.batch = batch
        self.columns = columns
        sumStride = (batch + 7) / 8 * 8
        let blocks = columns / 32
        let floats = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: storage) + 63) & ~63)!
        scales = floats.bindMemory(to: Float.self, capacity: batch * blocks + blocks * sumStride)
        sums = scales + batch * blocks
        quants = (floats + 4 * (batch * blocks + blocks * sumStride)).bindMemory(to: Int8.self, capacity: batch * columns)
    }

    // MARK: - Quantizing

    /// Quantizes `x`, (batch, columns) floats.
    func quantize(_ x: UnsafePointer<Float>) {
        let blocks = self.blocks
        sums.update(repeating: 0, count: blocks * sumStride)
        for s in 0..<batch {
            for b in 0..<blocks {
                let (d, total) = Q8Activations.quantizeBlock(x + s * columns + b * 32, into: quants + s * columns + b * 32)
                scales[s * blocks + b] = d
                sums[b * sumStride + s] = d * Float(total)
            }
        }
    }

    /// One block: writes 32 quantized values and returns (d, Σ q).
    @inline(__always)
    static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>) -> (Float, Int32) {
        #if JUDGE_X86_V3
        return quantizeBlockAVX2(x, into: q)
        #else
        return quantizeBlockReference(x, into: q)
        #endif
    }

    /// The scalar reference: the definition above, element by element.
    static func quantizeBlockReference(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>) -> (Float, Int32) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
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
