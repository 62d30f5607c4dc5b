// The batch kernel of Q8_0, Q4_0, Q4_1 and Q5_0 (`Int8Dot.tileInterleaved`): one row segment against one or two
// groups of eight vectors, the float lanes being the vectors.
//
// Per block, step k (of eight) broadcasts weights 4k ..< 4k + 4 to all eight lanes and multiplies them by
// bytes 4k ..< 4k + 4 of each vector (`Q8Activations.interleaved`), one vpmaddubsw per step and group.
// The Q4 products are summed in 16-bit lanes over the whole block and widened once (vpmaddwd); Q8_0's pair
// sums can reach 32,258 and are widened at every step. The block's exact dots of the eight vectors are
// then converted and scaled together: no per-vector conversion, no horizontal sums.

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel
import CPrefetch

extension Int8Dot {
    /// `out[k · outStride] (+)= row segment · x_(8 group + k)` for k < `count` ≤ 8 · `groups` (`groups`: 1 or 2,
    /// a constant at each call), over `blocks` blocks from block `first`. Lanes past the batch are zero
    /// padding, computed and not kept. `streaming`: rows are read once each, in order (prefetch ahead). The
    /// first panel (`first` 0) stores, later ones add.
    @inline(__always)
    static func tileInterleaved<W: Int8BlockWeights>(groups: Int, _ row: UnsafeRawPointer, first: Int, blocks: Int,
                                                     _ a: Q8Activations, group: Int, count: Int,
                                                     _ out: UnsafeMutablePointer<Float>, outStride: Int, streaming: Bool,
                                                     _: W.Type) {
        let stride = a.stride, sumStride = a.sumStride
        var q = UnsafeRawPointer(a.quants + (first * stride + 8 * group) * 32)   // (groups, 8 steps, 8 vectors, 4) bytes of block b
        var dx = UnsafePointer(a.scales + first * stride + 8 * group)            // (groups, 8) d_x of block b
        var sx = UnsafePointer(a.sums + first * sumStride + 8 * group)           // (groups, 8) d_x Σ q_x of block b
        var acc0 = __m256(), acc1 = __m256(), mins0 = __m256(), mins1 = __m256()
        let ones = _mm256_set1_epi16(1), low = _mm256_set1_epi8(0x0f)
        for b in first..<(first + blocks) {
            if streaming && b & (W.blocksPerPrefetch - 1) == 0 { judge_prefetch(row + b * W.bytes + prefetchDistance) }
            let quants = row + b * W.bytes + W.quantsOffset
            // Q5_0's weights decoded once per block (`fiveBitWeights`), each step's four taken from the register.
            let decoded = W.fiveBit ? fiveBitWeights(row + b * W.bytes) : __m256i()
            /// (8) weights 4k ..< 4k + 4 of the block (Q8_0, Q5_0), or bytes 4k ..< 4k + 4 of its nibbles (Q4), in
            /// every lane.
            @inline(__always) func broadcast(_ k: Int) -> __m256i {
                W.fiveBit ? _mm256_permutevar8x32_epi32(decoded, _mm256_set1_epi32(Int32(k)))
                    : _mm256_set1_epi32(quants.loadUnaligned(fromByteOffset: 4 * k, as: Int32.self))
            }
            /// (8 vectors × 4 bytes) step k of group g.
            @inline(__always) func x(_ g: Int, _ k: Int) -> __m256i {
                q.loadUnaligned(fromByteOffset: 256 * g + 32 * k, as: __m256i.self)
            }
            var i0 = __m256i(), i1 = __m256i()   // (8) per vector of each group: 16-bit pair sums, then the exact dot
            if W.signed {
                @inline(__always) func step(_ k: Int) {
                    let w = broadcast(k), magnitude = _mm256_abs_epi8(w)
                    i0 = _mm256_add_epi32(i0, _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(x(0, k), w)), ones))
                    if groups > 1 {
                        i1 = _mm256_add_epi32(i1, _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(x(1, k), w)), ones))
                    }
                }
                step(0); step(1); step(2); step(3); step(4); step(5); step(6); step(7)
            } else {
                // Nibble bytes 4k ..< 4k + 4 hold weights 4k ..< 4k + 4 (low) and 4k + 16 ..< 4k + 20 (high).
                @inline(__always) func step(_ k: Int) {
                    let packed = broadcast(k)
                    let lowWeights = _mm256_and_si256(packed, low), highWeights = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low)
                    i0 = _mm256_add_epi16(i0, _mm256_maddubs_epi16(lowWeights, x(0, k)))
                    i0 = _mm256_add_epi16(i0, _mm256_maddubs_epi16(highWeights, x(0, k + 4)))
                    if groups > 1 {
                        i1 = _mm256_add_epi16(i1, _mm256_maddubs_epi16(lowWeights, x(1, k)))
                        i1 = _mm256_add_epi16(i1, _mm256_maddubs_epi16(highWeights, x(1, k + 4)))
                    }
                }
                step(0); step(1); step(2); step(3)
                i0 = _mm256_madd_epi16(i0, ones)
                if groups > 1 { i1 = _mm256_madd_epi16(i1, ones) }
            }
            let (scale, minimum) = W.scaleAndMinimum(row, b)   // (8) d_w and m_w, broadcast
            let m = W.minimumPerScale != 0 ? scale : minimum
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i0), _mm256_mul_ps(scale, _mm256_loadu_ps(dx)), acc0)
            if W.hasMinimum { mins0 = _mm256_fmadd_ps(m, _mm256_loadu_ps(sx), mins0) }
            if groups > 1 {
                acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i1), _mm256_mul_ps(scale, _mm256_loadu_ps(dx + 8)), acc1)
                if W.hasMinimum { mins1 = _mm256_fmadd_ps(m, _mm256_loadu_ps(sx + 8), mins1) }
            }
            q += 32 * stride; dx += stride; sx += sumStride
        }
        let total0 = total(acc0, mins0, W.self), adds = first > 0
        for k in 0..<min(count, 8) { out[k * outStride] = adds ? out[k * outStride] + total0[k] : total0[k] }
        if groups > 1 {
            let total1 = total(acc1, mins1, W.self)
            for k in 8..<count { out[k * outStride] = adds ? out[k * outStride] + total1[k - 8] : total1[k - 8] }
        }
    }
}
#endif
