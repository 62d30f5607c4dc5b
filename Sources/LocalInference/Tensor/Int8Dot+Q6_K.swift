// Q6_K's integer kernels (`Int8Dot.tileQ6_K`): a 256-weight super-block at a time, as Q4_K's
// (`Int8Dot+Q4_K.swift`), against activations with one scale per 256 (`Q8Activations.blocksPerScale` 8).
//
// A super-block (210 bytes, ggml's `block_q6_K`): 128 bytes `ql` of low nibbles, 64 bytes `qh` of high bit
// pairs, 16 signed 8-bit scales, d as fp16. Its weights 32k ..< 32k + 32 (k < 8; half h = k / 4, j = k % 4)
// are ql[64h + 32 (j % 2) + l] (low nibble for j < 2, high for j ≥ 2) | ((qh[32h + l] >> 2j) & 3) << 4,
// l < 32, and the first 16 of them use scale 2k, the last 16 scale 2k + 1. As llama.cpp's AVX2
// `ggml_vec_dot_q6_K_q8_K`, per super-block and (row, vector), in integers:
//   T = Σ_i scale_i Σ_(j in sub-block i) (q_j − 32) q_x,j        exact: |T| ≤ 16 · 16 · 32 · 127 · 128 < 2^31
//   acc += (float(T) · d) · d_x                                   per super-block, in order (eight lanes)
// The weights are taken as signed bytes q − 32 (−32…31) and multiplied with the sign trick (|w|, x · sign(w));
// vpmaddwd against the scales (sub-block 2k in the low 128 bits, 2k + 1 in the high) sums pairs and weights
// them at once. llama.cpp subtracts 32 · Σ q_x per 16 from sums of unsigned q instead, from per-16 activation
// sums our `Q8Activations` does not keep. The eight 32-bit lanes are summed (`treeSum`) per panel of 64 blocks.

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel
import CPrefetch

extension Int8Dot {
    /// Weights 32k ..< 32k + 32 (k < 8) of the Q6_K super-block at `block` as signed bytes q − 32.
    @inline(__always)
    static func q6_KWeights(_ block: UnsafeRawPointer, _ k: Int) -> __m256i {
        let half = k >> 2, j = k & 3
        let low = block.loadUnaligned(fromByteOffset: 64 * half + 32 * (j & 1), as: __m256i.self)
        let high = block.loadUnaligned(fromByteOffset: 128 + 32 * half, as: __m256i.self)
        let nibble = _mm256_and_si256(j >= 2 ? _mm256_srli_epi16(low, 4) : low, _mm256_set1_epi8(0x0f))
        // Bits 2j, 2j + 1 of each qh byte moved to bits 4–5 (the 16-bit shifts carry nothing across bytes once masked).
        let top: __m256i
        switch j {
        case 0: top = _mm256_slli_epi16(_mm256_and_si256(high, _mm256_set1_epi8(0x03)), 4)
        case 1: top = _mm256_slli_epi16(_mm256_and_si256(high, _mm256_set1_epi8(0x0c)), 2)
        case 2: top = _mm256_and_si256(high, _mm256_set1_epi8(0x30))
        default: top = _mm256_srli_epi16(_mm256_and_si256(high, _mm256_set1_epi8(-64)), 2)
        }
        return _mm256_sub_epi8(_mm256_or_si256(nibble, top), _mm256_set1_epi8(32))
    }

    /// Q6_K's tile: `out[k · outStride] += row segment · x_(s0 + k)` for k < `count` ≤ `width` (1, 4 or 8, a
    /// constant at each call), over `blocks` blocks of 32 (whole super-blocks) from block `first`.
    @inline(__always)
    static func tileQ6_K(width: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations,
                         s0: Int, count: Int, _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        let stride = a.stride
        var q = UnsafeRawPointer(a.quants + (first * stride + s0) * 32)   // (width, 32) bytes of block k
        var dx = UnsafePointer(a.scales + first / 8 * stride + s0)        // (width) scales of the super-block
        var a0 = __m256(), a1 = __m256(), a2 = __m256(), a3 = __m256(), a4 = __m256(), a5 = __m256(), a6 = __m256(), a7 = __m256()
        // Rows stream one at a time for batches of up to four (see `superBlockRows`).
        let streaming = width == 1 || (width == 4 && a.batch <= 4)
        for superBlock in (first / 8)..<((first + blocks) / 8) {
            let block = row + 210 * superBlock
            if streaming {   // the super-block's 210 bytes, one line ahead at a time
                judge_prefetch(block + prefetchDistance); judge_prefetch(block + prefetchDistance + 64)
                judge_prefetch(block + prefetchDistance + 128); judge_prefetch(block + prefetchDistance + 192)
            }
            // (2 × 8) scales 0–7 (8–15) as 16-bit lanes, in both 128-bit halves.
            @inline(__always) func scales(_ offset: Int) -> __m256i {
                _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(_mm_cvtsi64_si128(block.loadUnaligned(fromByteOffset: 192 + offset, as: Int64.self))))
            }
            let scalesLow = scales(0), scalesHigh = scales(8)
            let dv = broadcastHalf(block + 208)
            var i0 = __m256i(), i1 = __m256i(), i2 = __m256i(), i3 = __m256i()
            var i4 = __m256i(), i5 = __m256i(), i6 = __m256i(), i7 = __m256i()
            for k in 0..<8 {
                let w = q6_KWeights(block, k), magnitude = _mm256_abs_epi8(w)
                // Scale 2k in the low half's 16-bit lanes, 2k + 1 in the high half's (vpshufb within each half).
                let m = 4 * (k & 3)
                let pick = _mm256_set_m128i(_mm_set1_epi16(Int16((m + 2) | (m + 3) << 8)), _mm_set1_epi16(Int16(m | (m + 1) << 8)))
                let scale = _mm256_shuffle_epi8(k < 4 ? scalesLow : scalesHigh, pick)
                @inline(__always) func step(_ acc: inout __m256i, _ v: Int) {
                    let x = q.loadUnaligned(fromByteOffset: 32 * v, as: __m256i.self)
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(x, w)), scale))
                }
                step(&i0, 0)
                if width > 1 { step(&i1, 1); step(&i2, 2); step(&i3, 3) }
                if width > 4 { step(&i4, 4); step(&i5, 5); step(&i6, 6); step(&i7, 7) }
                q += 32 * stride
            }
            /// acc += (float(T) · d) · d_x for vector k.
            @inline(__always) func finish(_ acc: inout __m256, _ sums: __m256i, _ k: Int) {
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(sums), dv), _mm256_set1_ps(dx[k]), acc)
            }
            finish(&a0, i0, 0)
            if width > 1 { finish(&a1, i1, 1); finish(&a2, i2, 2); finish(&a3, i3, 3) }
            if width > 4 { finish(&a4, i4, 4); finish(&a5, i5, 5); finish(&a6, i6, 6); finish(&a7, i7, 7) }
            dx += stride
        }
        store(width: width, count: count, out, outStride: outStride, __m256(), a0, a1, a2, a3, a4, a5, a6, a7)
    }

    /// `tileQ6_K` with its width a constant, one function per width (as `tileQ4_K1`, …).
    @inline(never)
    static func tileQ6_K1(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ6_K(width: 1, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ6_K4(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ6_K(width: 4, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }

    @inline(never)
    static func tileQ6_K8(_ row: UnsafeRawPointer, first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                          _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        tileQ6_K(width: 8, row, first: first, blocks: blocks, a, s0: s0, count: count, out, outStride: outStride)
    }
}
#endif
