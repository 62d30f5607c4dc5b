// The kernels with AVX-512 VNNI's `vpdpbusd` on 256-bit vectors (EVEX; needs AVX-512 VL). 256 bits, not 512:
// the interleaved layout's unit is eight rows of 32-bit lanes, and AMD's Zen 4 runs a 512-bit operation as two
// 256-bit halves, so the instruction, not the width, is the gain.
#if defined(__x86_64__)
#define JUDGE_NAME(x) judge_avx512vnni_##x
#define JUDGE_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#define JUDGE_DPBUSD(acc, a, b) _mm256_dpbusd_epi32(acc, a, b)
#define JUDGE_WIDE 1
#include "Int8VNNIKernel.h"
#endif
