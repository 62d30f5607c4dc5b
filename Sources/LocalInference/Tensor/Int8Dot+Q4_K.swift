// Q4_K's integer kernels (`Int8Dot.tileQ4_K`): a 256-weight super-block at a time, its sub-blocks'
// integer dots weighted by their 6-bit scales before any float work; and the rows loop of both super-block
// types (`superBlockRows`: Q4_K, and Q6_K of `Int8Dot+Q6_K.swift`).

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel
import CPrefetch

extension Int8Dot {
    // MARK: - Tiles: one row segment · up to eight vectors

    /// The end of a tile: `out[k · outStride] += Σ lanes(acc_k) + m[k]` for k < `count`.
    @inline(__always)
    static func store(width: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int, _ m: __m256,
                      _ a0: __m256, _ a1: __m256, _ a2: __m256, _ a3: __m256,
                      _ a4: __m256, _ a5: __m256, _ a6: __m256, _ a7: __m256) {
        out.pointee += treeSum(a0) + m[0]
        if width == 1 { return }
        let sums = [treeSum(a1) + m[1], treeSum(a2) + m[2], treeSum(a3) + m[3],
                    treeSum(a4) + m[4], treeSum(a5) + m[5], treeSum(a6) + m[6], treeSum(a7) + m[7]]
            as InlineArray<7, Float>
        for k in 1..<count { out[k * outStride] += sums[k - 1] }
    }

    /// Q4_K's tile, a super-block (eight sub-blocks) at a time: each sub-block's integer dot is weighted by
    /// its 6-bit scale in integers (vpmaddwd against the scale instead of ones) and summed over the
    /// super-block, so the float work — convert, scale by d · d_x, accumulate — is once per 256 weights.
    /// The minimums' terms −dmin · min_i · (d_x Σ q_x) are summed per super-block as a tree over the eight
    /// sub-blocks — for a lone vector one multiply and a horizontal sum, not a chain of eight FMAs (32 cycles
    /// of latency per super-block, which bounded a 7B model's decoding) — and the batch widths add each
    /// vector's eight terms in that same tree order. Exact integer sums:
    /// |Σ| ≤ 8 · 63 · 2 · 2 · 15 · 127 < 2^31.
    @inline(__always)
    static func tileQ4_K(width: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                         s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        let stride = a.stride
        var q = UnsafeRawPointer(a.quants + (first * stride + s0) * 32)   // (width, 32) bytes of sub-block i
        var dx = UnsafePointer(a.scales + first / 8 * stride + s0)        // (width) scales of the super-block
        var sx = UnsafePointer(a.sums + first * a.sumStride + s0)         // (width) sums of sub-block i, per super-block
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256(), a4 = __m256(), a5 = __m256(), a6 = __m256(), a7 = __m256()
        var mins = __m256(), mins1: Float = 0   // the minimums' terms: eight vectors, or a lone one
        let low = _mm256_set1_epi8(0x0f)
        // Rows stream one at a time for batches of up to four (see `rows`), never at width 8. (Width 1 is also
        // the last vector of a batch of 8k + 1, whose rows do not stream: a wasted hint, left for simplicity.)
        let streaming = width == 1 || (width == 4 && a.batch <= 4)
        for superBlock in (first / 8)..<((first + blocks) / 8) {
            let block = row + 144 * superBlock
            if streaming {   // the super-block's 144 bytes, one line ahead at a time
                judge_prefetch(block + prefetchDistance); judge_prefetch(block + prefetchDistance + 64)
                judge_prefetch(block + prefetchDistance + 128)
            }
            let dv = broadcastHalf(block), dmin = broadcastHalf(block + 2)   // (8) d, dmin
            let (scales, minimums) = Int8Dot.unpackQ4_KScales(block + 4)
            // (2 × 8) the eight scales as 16-bit lanes, in both halves; (8) the minimums' −dmin · min_i.
            let scales16 = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_cvtsi64_si128(Int64(bitPattern: scales))))
            let minimumTerms = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128(Int64(bitPattern: minimums)))),
                                             _mm256_sub_ps(_mm256_setzero_ps(), dmin))
            var i0 = __m256i(), i1 = __m256i(), i2 = __m256i(), i3 = __m256i()
            var i4 = __m256i(), i5 = __m256i(), i6 = __m256i(), i7 = __m256i()
            for i in 0..<8 {
                let bytes = block.loadUnaligned(fromByteOffset: 16 + 32 * (i >> 1), as: __m256i.self)
                let w = _mm256_and_si256((i & 1) == 0 ? bytes : _mm256_srli_epi16(bytes, 4), low)
                // scale_i in every 16-bit lane: bytes 2i, 2i + 1 of scales16 (vpshufb).
                let weight = _mm256_shuffle_epi8(scales16, _mm256_set1_epi16(Int16(2 * i | (2 * i + 1) << 8)))
                @inline(__always) func step(_ acc: inout __m256i, _ k: Int) {
                    let x = q.loadUnaligned(fromByteOffset: 32 * k, as: __m256i.self)
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), weight))
                }
                step(&i0, 0)
                if width > 1 { step(&i1, 1); step(&i2, 2); step(&i3, 3) }
                if width > 4 { step(&i4, 4); step(&i5, 5); step(&i6, 6); step(&i7, 7) }
                q += 32 * stride
            }
            if width == 1 {
                let ss = a.sumStride
                let sums = ss == 1 ? _mm256_loadu_ps(sx)   // (8) sub-blocks' sums
                    : _mm256_setr_ps(sx[0], sx[ss], sx[2 * ss], sx[3 * ss], sx[4 * ss], sx[5 * ss], sx[6 * ss], sx[7 * ss])
                mins1 += treeSum(_mm256_mul_ps(minimumTerms, sums))
            } else {
                /// (8 vectors) term of sub-block i.
                @inline(__always) func term(_ i: Int) -> __m256 {
                    _mm256_mul_ps(_mm256_permutevar8x32_ps(minimumTerms, _mm256_set1_epi32(Int32(i))),
                                  width == 4 ? _mm256_castps128_ps256(_mm_loadu_ps(sx + i * a.sumStride))
                                             : _mm256_loadu_ps(sx + i * a.sumStride))
                }
                // treeSum's order: ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)).
                let even = _mm256_add_ps(_mm256_add_ps(term(0), term(4)), _mm256_add_ps(term(2), term(6)))
                let odd = _mm256_add_ps(_mm256_add_ps(term(1), term(5)), _mm256_add_ps(term(3), term(7)))
                mins = _mm256_add_ps(mins, _mm256_add_ps(even, odd))
            }
            sx += 8 * a.sumStride
            /// acc += (float(Σ_i scale_i Σ q_w q_x) · d) · d_x for vector k.
            @inline(__always) func finish(_ acc: inout __m256, _ sums: __m256i, _ k: Int) {
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(sums), dv), _mm256_set1_ps(dx[k]), acc)
            }
            finish(&a0, i0, 0)
            if width > 1 { finish(&a1, i1, 1); finish(&a2, i2, 2); finish(&a3, i3, 3) }
            if width > 4 { finish(&a4, i4, 4); finish(&a5, i5, 5); finish(&a6, i6, 6); finish(&a7, i7, 7) }
            dx += stride
        }
        if width == 1 { mins = _mm256_set1_ps(mins1) }
        store(width: width, count: count, out, outStride: outStride, mins, a0, a1, a2, a3, a4, a5, a6, a7)
    }

    /// `tileQ4_K` with its width a constant, one function per width (see `superBlockRows`).
    @inline(never)
    static func tileQ4_K1(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_K(width: 1, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ4_K4(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_K(width: 4, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ4_K8(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ4_K(width: 8, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    // MARK: - Rows × batch

    /// `y[s · rows + r] = row(r) · x_s` for r in `range` and every vector of `a`, for a Q4_K or Q6_K matrix.
    /// Columns go in panels of `panelBlocks` blocks, rows in groups of 16 whose weights stay cached from one
    /// panel to the next — except for batches of up to four, whose whole x fits the L1 cache: there rows go one
    /// at a time, so the weights stream from memory in order (a 7B model decodes ~2× faster so; `forEachRowPanel`).
    ///
    /// Each width's tile is its own function (`tileQ4_K1`, …): inlined three times into this one, which is
    /// itself inlined into five callers, the tile stopped being inlined and ran as a call with its width a
    /// variable.
    @inline(__always)
    static func superBlockRows(_ matrix: WeightMatrix, _ range: Range<Int>, _ a: Q8Activations, _ y: UnsafeMutablePointer<Float>) {
        let rows = matrix.rows, blocks = matrix.columns / 32, batch = a.batch, q6_K = matrix.type == .q6_K
        for s in 0..<batch { (y + s * rows + range.lowerBound).update(repeating: 0, count: range.count) }
        forEachRowPanel(range, blocks: blocks, rowsPerGroup: batch <= 4 ? 1 : 16) { r, first, count in
            let row = matrix.row(r)
            var s = 0
            while s < batch {
                let width = min(batch - s, 8), out = y + s * rows + r
                // One function per width and type, each unrolled for its own.
                if width == 1 {
                    if q6_K { tileQ6_K1(row, first: first, blocks: count, a, s0: s, count: 1, out, outStride: rows) }
                    else { tileQ4_K1(row, first: first, blocks: count, a, s0: s, count: 1, out, outStride: rows) }
                } else if width > 4 {
                    if q6_K { tileQ6_K8(row, first: first, blocks: count, a, s0: s, count: width, out, outStride: rows) }
                    else { tileQ4_K8(row, first: first, blocks: count, a, s0: s, count: width, out, outStride: rows) }
                } else {
                    if q6_K { tileQ6_K4(row, first: first, blocks: count, a, s0: s, count: width, out, outStride: rows) }
                    else { tileQ4_K4(row, first: first, blocks: count, a, s0: s, count: width, out, outStride: rows) }
                }
                s += width
            }
        }
    }
}
#endif
