// Which VNNI form this CPU and operating system can run (CInt8VNNI.h): CPUID for the instructions, XGETBV for
// the register state the operating system saves (a CPU may have AVX-512 that the kernel does not enable).
#include "CInt8VNNI.h"

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t judge_xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

int judge_cpu_vnni(void) {
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, 0) < 7 || !__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1;
    if (!osxsave || !avx || !fma || !f16c) return 0;
    const uint64_t xcr0 = judge_xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return 0;   // XMM and YMM state
    __cpuid_count(7, 0, a, b, c, d);
    const unsigned subleaves = a;
    const int avx2 = (b >> 5) & 1;
    if (!avx2) return 0;
    const int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int avx512vnni = (c >> 11) & 1;
    int forms = 0;
    // The two forms are separate features: AMD's Zen 4 has AVX-512 VNNI but not AVX-VNNI (VEX), and running
    // the one it lacks is an illegal instruction.
    if (avx512f && avx512bw && avx512vl && avx512vnni && (xcr0 & 0xe0) == 0xe0) forms |= 2;   // opmask, ZMM state
    if (subleaves >= 1) {
        unsigned a1, b1, c1, d1;
        __cpuid_count(7, 1, a1, b1, c1, d1);
        if ((a1 >> 4) & 1) forms |= 1;   // AVX-VNNI
    }
    return forms;
}
#else
int judge_cpu_vnni(void) { return 0; }
#endif
