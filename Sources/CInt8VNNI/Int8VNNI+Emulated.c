// The kernels with `vpdpbusd` emulated by its definition, on AVX2: how the tests hold the VNNI kernels' code
// to the scalar reference on a CPU without VNNI. Slow; never chosen for inference.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

/// Intel's definition of VPDPBUSD (no saturation): each 32-bit lane of `acc` plus the four products of
/// an unsigned byte of `a` and the signed byte of `b` at the same place, wrapping modulo 2³².
__attribute__((target("avx2"))) static inline __m256i judge_dpbusd_definition(__m256i acc, __m256i a, __m256i b) {
    uint32_t sums[8];
    uint8_t ua[32];
    int8_t sb[32];
    _mm256_storeu_si256((__m256i *)sums, acc);
    _mm256_storeu_si256((__m256i *)ua, a);
    _mm256_storeu_si256((__m256i *)sb, b);
    for (int lane = 0; lane < 8; lane++) {
        for (int j = 0; j < 4; j++) {
            sums[lane] += (uint32_t)((int32_t)ua[4 * lane + j] * (int32_t)sb[4 * lane + j]);
        }
    }
    return _mm256_loadu_si256((const __m256i *)sums);
}

#define JUDGE_NAME(x) judge_emulated_##x
#define JUDGE_TARGET __attribute__((target("avx2,fma,f16c")))
#define JUDGE_DPBUSD(acc, a, b) judge_dpbusd_definition(acc, a, b)
#define JUDGE_WIDE 1
#include "Int8VNNIKernel.h"
#endif
