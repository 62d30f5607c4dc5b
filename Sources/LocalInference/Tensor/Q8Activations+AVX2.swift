// The x86-64-v3 quantizer of `Q8Activations`: the same bytes as the scalar reference, eight lanes at a time.

#if JUDGE_X86_V3
import _Builtin_intrinsics.intel

extension Q8Activations {
    /// The fast path of `quantizeBlock`: the same values as the reference, eight lanes at a time.
    @inline(__always)
    static func quantizeBlockAVX2(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>,
                                  amax groupMaximum: Float? = nil) -> (Float, Int32) {
        let v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8), v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24)
        let amax: Float
        if let groupMaximum {
            amax = groupMaximum
        } else {
            let signBit = _mm256_set1_ps(-0.0)
            var m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1)),
                                  _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)))
            m = _mm256_max_ps(m, _mm256_permutevar8x32_ps(m, _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3)))
            m = _mm256_max_ps(m, _mm256_permutevar8x32_ps(m, _mm256_setr_epi32(2, 3, 0, 1, 2, 3, 0, 1)))
            m = _mm256_max_ps(m, _mm256_permutevar8x32_ps(m, _mm256_setr_epi32(1, 0, 1, 0, 1, 0, 1, 0)))
            amax = _mm256_cvtss_f32(m)
        }
        let d = amax / 127
        let inverse = _mm256_set1_ps(amax != 0 ? 127 / amax : 0)
        // vcvtps2dq rounds to nearest even (the default MXCSR mode), as the reference does.
        let i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, inverse)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, inverse))
        let i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, inverse)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, inverse))
        var total = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3))
        total = _mm256_add_epi32(total, _mm256_permutevar8x32_epi32(total, _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3)))
        total = _mm256_add_epi32(total, _mm256_permutevar8x32_epi32(total, _mm256_setr_epi32(2, 3, 0, 1, 2, 3, 0, 1)))
        total = _mm256_add_epi32(total, _mm256_permutevar8x32_epi32(total, _mm256_setr_epi32(1, 0, 1, 0, 1, 0, 1, 0)))
        // packs works within 128-bit halves: (i0 lo, i1 lo, i2 lo, i3 lo | i0 hi, i1 hi, i2 hi, i3 hi) in
        // 4-byte groups; the permute puts the groups back in order.
        let packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3))
        let ordered = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
        _mm256_storeu_si256(UnsafeMutableRawPointer(q).assumingMemoryBound(to: __m256i.self), ordered)
        return (d, _mm256_cvtsi256_si32(total))
    }
}
#endif
