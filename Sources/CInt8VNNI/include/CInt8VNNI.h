#ifndef JUDGE_CINT8VNNI_H
#define JUDGE_CINT8VNNI_H
// The innermost loops of the interleaved Q4_0 and Q4_K kernels with VNNI's `vpdpbusd` (u8 × s8, four
// products summed into each 32-bit lane in one instruction, where AVX2 needs vpmaddubsw, vpaddw and
// vpmaddwd). Swift cannot emit that instruction, hence this target; everything around these loops, and
// their reference (`Int8Dot+Interleaved8Rows.swift`, the AVX2 kernels, and the tests' scalar
// transcription), is Swift.
//
// Each kernel is compiled three times from one body (Int8VNNIKernel.h), differing only in how one 32-bit
// lane's four products are summed:
//   judge_avx512vnni_*  `vpdpbusd` with EVEX (AVX-512 VNNI + VL): Ice Lake and later Xeons, AMD Zen 4 and 5;
//   judge_avxvnni_*     `vpdpbusd` with VEX (AVX-VNNI): Alder Lake and later client CPUs, without AVX-512;
//   judge_emulated_*    the instruction's definition in plain C, for testing on CPUs without either.
// Call a native one only when `judge_cpu_vnni()` says the CPU has it. The results are exact integer sums
// turned to floats in the AVX2 kernels' order, so all three equal the AVX2 kernels bit for bit.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The VNNI forms this CPU and operating system run, a bit each: 2, AVX-512 F, BW, VL and VNNI; 1, AVX-VNNI
/// (with AVX2). Either, both (Intel's Sapphire Rapids, AMD's Zen 5) or neither (0); AVX-512 VNNI does not imply
/// AVX-VNNI (AMD's Zen 4).
int judge_cpu_vnni(void);

/// Eight interleaved Q4_0 rows (144-byte blocks) · `width` (1, 4, or 8 with the AVX-512 and emulated forms)
/// activation vectors, blocks
/// `first ..< first + blocks`. `x`: the first vector's bytes of block `first` (a lone vector's four-byte steps
/// 4 bytes apart; a batch interleaved: vectors 4 bytes apart, steps 32); `xBlockStep`: bytes from one block's
/// activations to the next. `dx`, `sx`: the first vector's d_x and d_x Σ q_x at block `first` (the vectors
/// follow at +1, +2, +3), `dxStep`, `sxStep` floats per block. Stores (`first` 0) or adds the first `count`
/// vectors' eight results at `out + v · outStride`. `prefetch`: bytes ahead of the weights to prefetch (width 1).
#define JUDGE_Q4_0_KERNEL(name) \
    void name(int width, const void *group, long first, long blocks, const void *x, long xBlockStep, \
              const float *dx, long dxStep, const float *sx, long sxStep, int count, float *out, long outStride, \
              long prefetch)

/// Eight interleaved Q4_K rows (1,184-byte super-blocks) · `width` (1, 4, or 8 as for Q4_0; 8 needs a batch of
/// more than four, whose activations are padded to eight) vectors, blocks
/// `first ..< first + blocks` (whole super-blocks). `x` as for Q4_0 with vectors 32 bytes apart; `dx`: the first
/// vector's d_x at super-block `first / 8`, `dxStep` floats per super-block; `totals`: the first vector's Σ q_x
/// per block, from block 0, the next vector's `totalsStride` further.
#define JUDGE_Q4_K_KERNEL(name) \
    void name(int width, const void *group, long first, long blocks, const void *x, long xBlockStep, \
              const float *dx, long dxStep, const int16_t *totals, long totalsStride, int count, float *out, \
              long outStride, long prefetch)

JUDGE_Q4_0_KERNEL(judge_avx512vnni_q4_0x8);
JUDGE_Q4_0_KERNEL(judge_avxvnni_q4_0x8);
JUDGE_Q4_0_KERNEL(judge_emulated_q4_0x8);
JUDGE_Q4_K_KERNEL(judge_avx512vnni_q4_Kx8);
JUDGE_Q4_K_KERNEL(judge_avxvnni_q4_Kx8);
JUDGE_Q4_K_KERNEL(judge_emulated_q4_Kx8);

#ifdef __cplusplus
}
#endif

#endif
