// The decode kernels for the types that carry real models: Q8_0 and Q4_1 (SmolLM2), Q4_0, and Q4_K + Q6_K
// (Q4_K_M files). Each dequantizes a block into SIMD registers and multiplies with the fp32 activations:
// no stack round trip, one fused multiply-add per 8 weights, one scale per block.
//
// Measured against llama.cpp's way (activations rounded to int8 per 32-block, integer dot products): the
// same speed here, because Swift has no `pmaddubsw` (LLVM forms `vpmaddwd` from a scalar int8 loop, 8 lanes
// at a time, plus a horizontal sum per block), so the fp32 kernels stay: they add no rounding.
// See BENCHMARKS.md, "Engine kernels".
//
// The minimum terms (`m · Σx`) use per-32 sums of the activation computed once per matrix-vector
// product (`RowDot.blockSums`), not once per row.

/// A decode kernel: (row, x, blockSums, columns) → Σ w[i] x[i]; `blockSums[b]` = Σ x[32b ..< 32b + 32].
typealias SummedRowDotKernel = (UnsafeRawPointer, UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Float

extension RowDot {
    /// The fast kernel for `type`, or nil when the generic `kernel(for:)` serves it.
    static func fastKernel(for type: GGMLType) -> SummedRowDotKernel? {
        switch type {
        case .q8_0: return dotQ8_0Fast
        case .q4_0: return dotQ4_0Fast
        case .q4_1: return dotQ4_1Fast
        case .q4_K: return dotQ4_KFast
        case .q6_K: return dotQ6_KFast
        default: return nil
        }
    }

    /// `sums[b] = Σ x[32b ..< 32b + 32]` for `count / 32` blocks: (count) → (count / 32).
    @inline(__always)
    static func blockSums(_ x: UnsafePointer<Float>, count: Int, into sums: UnsafeMutablePointer<Float>) {
        for b in 0..<(count / 32) {
            let xs = x + 32 * b
            sums[b] = ((xs.floats8(0) + xs.floats8(8)) + (xs.floats8(16) + xs.floats8(24))).sum()
        }
    }

    // MARK: - Legacy blocks (32 weights)

    /// Q8_0 (34 bytes: d, 32 × int8): Σ_b d · Σ q x.
    static func dotQ8_0Fast(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                            _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var block = row, xs = x
        for _ in 0..<(n / 32) {
            var s = block.int8x8(2) * xs.floats8(0)
            s = multiplyAdd(s, block.int8x8(10), xs.floats8(8))
            s = multiplyAdd(s, block.int8x8(18), xs.floats8(16))
            s = multiplyAdd(s, block.int8x8(26), xs.floats8(24))
            acc = multiplyAdd(acc, s, block.half(0))
            block += 34; xs += 32
        }
        return acc.sum()
    }

    /// Σ q x over one 32-weight block of nibbles at `qs` (byte j: weight j low, weight j + 16 high).
    @inline(__always)
    static func nibbleDot(_ qs: UnsafeRawPointer, _ xs: UnsafePointer<Float>) -> SIMD8<Float> {
        let q0 = qs.uint8x8(0), q1 = qs.uint8x8(8)
        var s = (q0 & 15).floats * xs.floats8(0)
        s = multiplyAdd(s, (q1 & 15).floats, xs.floats8(8))
        s = multiplyAdd(s, (q0 &>> 4).floats, xs.floats8(16))
        return multiplyAdd(s, (q1 &>> 4).floats, xs.floats8(24))
    }

    /// Q4_0 (18 bytes: d, 16 nibble bytes): Σ_b d · (Σ q x − 8 Σ x).
    static func dotQ4_0Fast(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                            _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var offset: Float = 0
        var block = row, xs = x
        for b in 0..<(n / 32) {
            let d = block.half(0)
            acc = multiplyAdd(acc, nibbleDot(block + 2, xs), d)
            offset += d * sums[b]
            block += 18; xs += 32
        }
        return acc.sum() - 8 * offset
    }

    /// Q4_1 (20 bytes: d, m, 16 nibble bytes): Σ_b d · Σ q x + m · Σ x.
    static func dotQ4_1Fast(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                            _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimum: Float = 0
        var block = row, xs = x
        for b in 0..<(n / 32) {
            acc = multiplyAdd(acc, nibbleDot(block + 4, xs), block.half(0))
            minimum += block.half(2) * sums[b]
            block += 20; xs += 32
        }
        return acc.sum() + minimum
    }

    // MARK: - k-quants (256 weights)

    /// Q4_K (144 bytes: d, dmin, 12 scale bytes, 128 nibble bytes): per 32-sub-block j,
    /// `d·sc_j · Σ q x − dmin·m_j · Σ x`.
    static func dotQ4_KFast(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                            _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimum: Float = 0
        var block = row, xs = x, bs = sums
        for _ in 0..<(n / 256) {
            let d = block.half(0), dmin = block.half(2)
            let sc = block + 4
            var blockMinimum: Float = 0
            for pair in 0..<4 {
                let (s1, m1) = scaleMinK4(2 * pair, sc)
                let (s2, m2) = scaleMinK4(2 * pair + 1, sc)
                let qs = block + 16 + 32 * pair
                let x0 = xs + 64 * pair
                // Low nibbles: sub-block 2·pair (x0[0..<32]); high nibbles: 2·pair + 1 (x0[32..<64]).
                var lo = SIMD8<Float>(), hi = SIMD8<Float>()
                for g in 0..<4 {
                    let q = qs.uint8x8(8 * g)
                    lo = multiplyAdd(lo, (q & 15).floats, x0.floats8(8 * g))
                    hi = multiplyAdd(hi, (q &>> 4).floats, x0.floats8(32 + 8 * g))
                }
                acc = multiplyAdd(acc, lo, d * Float(s1))
                acc = multiplyAdd(acc, hi, d * Float(s2))
                blockMinimum += Float(m1) * bs[2 * pair] + Float(m2) * bs[2 * pair + 1]
            }
            minimum += dmin * blockMinimum
            block += 144; xs += 256; bs += 8
        }
        return acc.sum() - minimum
    }

    /// Q6_K (210 bytes: ql 128, qh 64, 16 int8 scales, d): per 16-sub-block, `d·sc · Σ (q − 32) x`,
    /// q = low nibble | two high bits << 4.
    static func dotQ6_KFast(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                            _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var block = row, xs = x
        let bias = SIMD8<Int32>(repeating: 32)
        for _ in 0..<(n / 256) {
            let d = block.half(208)
            for half in 0..<2 {
                let ql = block + 64 * half, qh = block + 128 + 32 * half
                let sc = block + 192 + 8 * half
                let y = xs + 128 * half
                // l in 0..<32 in chunks of 8; chunks 0–1 use scales sc[0,2,4,6], chunks 2–3 sc[1,3,5,7].
                for part in 0..<2 {
                    var s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>(), s4 = SIMD8<Float>()
                    for c in 0..<2 {
                        let l = 16 * part + 8 * c
                        let a = ql.uint8x8(l), b = ql.uint8x8(l + 32), h = qh.uint8x8(l)
                        let q1 = ((a & 15) | ((h & 3) &<< 4)) &- bias
                        let q2 = ((b & 15) | (((h &>> 2) & 3) &<< 4)) &- bias
                        let q3 = ((a &>> 4) | (((h &>> 4) & 3) &<< 4)) &- bias
                        let q4 = ((b &>> 4) | (((h &>> 6) & 3) &<< 4)) &- bias
                        s1 = multiplyAdd(s1, q1.floats, y.floats8(l))
                        s2 = multiplyAdd(s2, q2.floats, y.floats8(l + 32))
                        s3 = multiplyAdd(s3, q3.floats, y.floats8(l + 64))
                        s4 = multiplyAdd(s4, q4.floats, y.floats8(l + 96))
                    }
                    acc = multiplyAdd(acc, s1, d * Float(sc.i8(part)))
                    acc = multiplyAdd(acc, s2, d * Float(sc.i8(part + 2)))
                    acc = multiplyAdd(acc, s3, d * Float(sc.i8(part + 4)))
                    acc = multiplyAdd(acc, s4, d * Float(sc.i8(part + 6)))
                }
            }
            block += 210; xs += 256
        }
        return acc.sum()
    }
}
