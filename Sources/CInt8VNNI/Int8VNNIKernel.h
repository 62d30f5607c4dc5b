// The body of the VNNI kernels, included once per instruction form (see CInt8VNNI.h). The includer defines
//   JUDGE_NAME(x)    the function name for kernel x,
//   JUDGE_TARGET     the target attribute the functions are compiled for,
//   JUDGE_DPBUSD     (acc, u8 vector, s8 vector) → acc + the four products of each 32-bit lane,
//   JUDGE_WIDE       1 if width 8 is compiled (32 vector registers), else 0 (a width of 8 then must not be asked).
// The arithmetic is the AVX2 kernels' (`Int8Dot+Interleaved8Rows.swift`), step for step; only the integer
// sums of a block are formed with one instruction instead of three, and they are exact either way.

#include <immintrin.h>
#include <stdint.h>
#include "CInt8VNNI.h"

// MARK: - Pieces

/// The four bytes at `p` in every 32-bit lane.
JUDGE_TARGET static inline __m256i JUDGE_NAME(broadcast4)(const uint8_t *p) {
    int32_t v;
    __builtin_memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

/// The eight fp16 at `p` as floats.
JUDGE_TARGET static inline __m256 JUDGE_NAME(halves8)(const uint8_t *p) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
}

/// `out[v · outStride ..< +8] (+)= t[v]` for the first `count` vectors of `width` (constant indices, so that `t`
/// stays in registers).
JUDGE_TARGET static inline __attribute__((always_inline)) void JUDGE_NAME(store8)(const int width, int count, int first,
                                                                                  float *out, long outStride,
                                                                                  const __m256 *t) {
#define JUDGE_PUT(v) \
    if ((v) < width && count > (v)) { \
        float *p = out + (v) * outStride; \
        _mm256_storeu_ps(p, first ? t[v] : _mm256_add_ps(_mm256_loadu_ps(p), t[v])); \
    }
    JUDGE_PUT(0) JUDGE_PUT(1) JUDGE_PUT(2) JUDGE_PUT(3) JUDGE_PUT(4) JUDGE_PUT(5) JUDGE_PUT(6) JUDGE_PUT(7)
#undef JUDGE_PUT
}

// MARK: - Q4_0

// Per-vector values are arrays indexed by vector (width 1, 4 or 8, a constant in each caller): the loops over
// them unroll and the arrays live in registers. Width 8 (JUDGE_WIDE forms only) keeps 24 vectors live in the
// inner loop, which only AVX-512's 32 registers hold; it unpacks each weight once for eight vectors, not four.

JUDGE_TARGET static inline __attribute__((always_inline)) void JUDGE_NAME(q4_0x8_body)(
    const int width, const void *groupBytes, long first, long blocks, const void *xBytes, long xBlockStep,
    const float *dx, long dxStep, const float *sx, long sxStep, int count, float *out, long outStride, long prefetch) {
    const uint8_t *group = groupBytes, *x = xBytes;
    const long vectorStep = 4, stepBytes = width == 1 ? 4 : 32;
    __m256 acc[8], minimum[8];
    for (int v = 0; v < 8; v++) acc[v] = minimum[v] = _mm256_setzero_ps();
    const __m256i low = _mm256_set1_epi8(0x0f);
    for (long b = first; b < first + blocks; b++) {
        const uint8_t *block = group + 144 * b;
        if (width == 1) {
            __builtin_prefetch(block + prefetch, 0, 3);
            __builtin_prefetch(block + prefetch + 64, 0, 3);
            __builtin_prefetch(block + prefetch + 128, 0, 3);
        }
        __m256i p[8];   // (8 rows) per vector: Σ q_w q_x of the block, exact in 32 bits
        for (int v = 0; v < width; v++) p[v] = _mm256_setzero_si256();
        for (int k = 0; k < 4; k++) {
            const __m256i w = _mm256_loadu_si256((const __m256i *)(block + 16 + 32 * k));
            const __m256i lo = _mm256_and_si256(w, low), hi = _mm256_and_si256(_mm256_srli_epi16(w, 4), low);
            for (int v = 0; v < width; v++) {
                p[v] = JUDGE_DPBUSD(p[v], lo, JUDGE_NAME(broadcast4)(x + v * vectorStep + k * stepBytes));
                p[v] = JUDGE_DPBUSD(p[v], hi, JUDGE_NAME(broadcast4)(x + v * vectorStep + (4 + k) * stepBytes));
            }
        }
        const __m256 d = JUDGE_NAME(halves8)(block);
        for (int v = 0; v < width; v++) {
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p[v]), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc[v]);
        }
        x += xBlockStep;
        dx += dxStep;
    }
    // The minimum's terms d_w · (d_x Σ q_x), from the panel's scales again (in the L1 cache).
    for (long b = first; b < first + blocks; b++) {
        const __m256 d = JUDGE_NAME(halves8)(group + 144 * b);
        for (int v = 0; v < width; v++) minimum[v] = _mm256_fmadd_ps(d, _mm256_broadcast_ss(sx + v), minimum[v]);
        sx += sxStep;
    }
    const __m256 eight = _mm256_set1_ps(-8);
    for (int v = 0; v < width; v++) acc[v] = _mm256_add_ps(acc[v], _mm256_mul_ps(minimum[v], eight));
    JUDGE_NAME(store8)(width, count, first == 0, out, outStride, acc);
}

JUDGE_TARGET JUDGE_Q4_0_KERNEL(JUDGE_NAME(q4_0x8)) {
    if (width == 1) {
        JUDGE_NAME(q4_0x8_body)(1, group, first, blocks, x, xBlockStep, dx, dxStep, sx, sxStep, count, out, outStride, prefetch);
    } else if (width == 4 || !JUDGE_WIDE) {
        JUDGE_NAME(q4_0x8_body)(4, group, first, blocks, x, xBlockStep, dx, dxStep, sx, sxStep, count, out, outStride, prefetch);
    } else {
        JUDGE_NAME(q4_0x8_body)(8, group, first, blocks, x, xBlockStep, dx, dxStep, sx, sxStep, count, out, outStride, prefetch);
    }
}

// MARK: - Q4_K

JUDGE_TARGET static inline __attribute__((always_inline)) void JUDGE_NAME(q4_Kx8_body)(
    const int width, const void *groupBytes, long first, long blocks, const void *xBytes, long xBlockStep,
    const float *dx, long dxStep, const int16_t *totals, long totalsStride, int count, float *out, long outStride,
    long prefetch) {
    const uint8_t *group = groupBytes, *x = xBytes;
    const long vectorStep = 32;
    const float *dx0 = dx;
    __m256 acc[8], minimum[8];
    for (int v = 0; v < 8; v++) acc[v] = minimum[v] = _mm256_setzero_ps();
    const __m256i low = _mm256_set1_epi8(0x0f);
    for (long superBlock = first / 8; superBlock < (first + blocks) / 8; superBlock++) {
        const uint8_t *block = group + 1184 * superBlock;
        __m256i t[8];   // (8 rows) per vector: Σ_i scale_i Σ q_w q_x of the super-block
        for (int v = 0; v < width; v++) t[v] = _mm256_setzero_si256();
        for (int i = 0; i < 8; i++) {   // sub-block i: pair i / 2, low nibbles for even i
            if (width == 1) {
                __builtin_prefetch(block + 160 + 128 * i + prefetch, 0, 3);
                __builtin_prefetch(block + 224 + 128 * i + prefetch, 0, 3);
            }
            __m256i p[8];
            for (int v = 0; v < width; v++) p[v] = _mm256_setzero_si256();
            for (int k = 0; k < 8; k++) {
                const __m256i bytes = _mm256_loadu_si256((const __m256i *)(block + 160 + 256 * (i >> 1) + 32 * k));
                const __m256i w = _mm256_and_si256((i & 1) == 0 ? bytes : _mm256_srli_epi16(bytes, 4), low);
                for (int v = 0; v < width; v++) {
                    p[v] = JUDGE_DPBUSD(p[v], w, JUDGE_NAME(broadcast4)(x + v * vectorStep + 4 * k));
                }
            }
            int64_t scaleBytes;
            __builtin_memcpy(&scaleBytes, block + 32 + 8 * i, 8);
            const __m256i scale = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(scaleBytes));
            for (int v = 0; v < width; v++) t[v] = _mm256_add_epi32(t[v], _mm256_mullo_epi32(p[v], scale));
            x += xBlockStep;
        }
        const __m256 d = JUDGE_NAME(halves8)(block);
        for (int v = 0; v < width; v++) {
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t[v]), _mm256_mul_ps(d, _mm256_broadcast_ss(dx + v)), acc[v]);
        }
        dx += dxStep;
    }
    // The minimums' terms: M = Σ_i min_i Σ q_x in integers (pairs of sub-blocks per vpmaddwd), then
    // float(M) · (dmin · d_x), from the panel's scales again.
    dx = dx0;
    for (long superBlock = first / 8; superBlock < (first + blocks) / 8; superBlock++) {
        const uint8_t *block = group + 1184 * superBlock;
        __m256i n[8];
        for (int v = 0; v < width; v++) n[v] = _mm256_setzero_si256();
        for (int pair = 0; pair < 4; pair++) {
            const __m256i minimums = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(block + 96 + 16 * pair)));
            for (int v = 0; v < width; v++) {
                const int16_t *sums = totals + v * totalsStride + 8 * superBlock + 2 * pair;
                n[v] = _mm256_add_epi32(n[v], _mm256_madd_epi16(minimums, JUDGE_NAME(broadcast4)((const uint8_t *)sums)));
            }
        }
        const __m256 dmin = JUDGE_NAME(halves8)(block + 16);
        for (int v = 0; v < width; v++) {
            minimum[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(n[v]), _mm256_mul_ps(dmin, _mm256_broadcast_ss(dx + v)), minimum[v]);
        }
        dx += dxStep;
    }
    for (int v = 0; v < width; v++) acc[v] = _mm256_sub_ps(acc[v], minimum[v]);
    JUDGE_NAME(store8)(width, count, first == 0, out, outStride, acc);
}

JUDGE_TARGET JUDGE_Q4_K_KERNEL(JUDGE_NAME(q4_Kx8)) {
    if (width == 1) {
        JUDGE_NAME(q4_Kx8_body)(1, group, first, blocks, x, xBlockStep, dx, dxStep, totals, totalsStride, count, out,
                                outStride, prefetch);
    } else if (width == 4 || !JUDGE_WIDE) {
        JUDGE_NAME(q4_Kx8_body)(4, group, first, blocks, x, xBlockStep, dx, dxStep, totals, totalsStride, count, out,
                                outStride, prefetch);
    } else {
        JUDGE_NAME(q4_Kx8_body)(8, group, first, blocks, x, xBlockStep, dx, dxStep, totals, totalsStride, count, out,
                                outStride, prefetch);
    }
}
