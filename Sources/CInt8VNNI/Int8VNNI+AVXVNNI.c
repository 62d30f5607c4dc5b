// The kernels with AVX-VNNI's `vpdpbusd` (VEX encoding): CPUs with VNNI but without AVX-512.
#if defined(__x86_64__)
#define JUDGE_NAME(x) judge_avxvnni_##x
#define JUDGE_TARGET __attribute__((target("avx2,fma,f16c,avxvnni")))
#define JUDGE_DPBUSD(acc, a, b) _mm256_dpbusd_avx_epi32(acc, a, b)
#define JUDGE_WIDE 0
#include "Int8VNNIKernel.h"
#endif
