#ifndef JUDGE_CPREFETCH_H
#define JUDGE_CPREFETCH_H
// A software prefetch hint for the inference kernels. Swift has no prefetch of its own, and clang's
// `_mm_prefetch` is a macro, which Swift does not import; this static inline function is inlined into the
// Swift caller as one `prefetcht0`.

/// Asks for the cache line at `p` to be loaded into every cache level, for reading. Never faults.
static inline void judge_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
