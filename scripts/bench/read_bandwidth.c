// The machine's read bandwidth, the ceiling of one sequence's decoding (every weight read once per token):
// T threads each stream their share of an N GB buffer (transparent huge pages, as judge's repacked weights),
// summing it with AVX2 loads, R times; prints the best pass in GB/s.
//
//   cc -O2 -mavx2 -pthread scripts/bench/read_bandwidth.c -o /tmp/read_bandwidth
//   /tmp/read_bandwidth [threads 2] [GB 3.8] [passes 5]
//
// 3.8 GB is a 7B Q4_0 model: at B GB/s, no engine decodes one sequence faster than B / 3.8 tokens/s.
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static char *buffer;
static size_t share;
static pthread_barrier_t barrier;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *reader(void *arg) {
    const __m256i *p = (const __m256i *)(buffer + (size_t)arg * share);
    __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
    pthread_barrier_wait(&barrier);
    for (size_t i = 0; i < share / 32; i += 4) {
        a = _mm256_add_epi64(a, _mm256_load_si256(p + i));
        b = _mm256_add_epi64(b, _mm256_load_si256(p + i + 1));
        c = _mm256_add_epi64(c, _mm256_load_si256(p + i + 2));
        d = _mm256_add_epi64(d, _mm256_load_si256(p + i + 3));
    }
    pthread_barrier_wait(&barrier);
    a = _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d));
    return (void *)(size_t)_mm256_extract_epi64(a, 0);
}

int main(int argc, char **argv) {
    const int threads = argc > 1 ? atoi(argv[1]) : 2, passes = argc > 3 ? atoi(argv[3]) : 5;
    const double gb = argc > 2 ? atof(argv[2]) : 3.8;
    share = (size_t)(gb * 1e9 / threads) / 4096 * 4096;
    const size_t bytes = share * threads;
    buffer = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buffer == MAP_FAILED) { perror("mmap"); return 1; }
    madvise(buffer, bytes, MADV_HUGEPAGE);
    for (size_t i = 0; i < bytes; i += 64) buffer[i] = (char)i;
    double best = 0;
    for (int pass = 0; pass < passes; pass++) {
        pthread_t t[64];
        pthread_barrier_init(&barrier, NULL, threads + 1);
        for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, reader, (void *)i);
        pthread_barrier_wait(&barrier);
        const double start = now();
        pthread_barrier_wait(&barrier);
        const double seconds = now() - start;
        for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
        pthread_barrier_destroy(&barrier);
        if (bytes / seconds > best) best = bytes / seconds;
    }
    printf("%d threads, %.2f GB: best of %d passes %.1f GB/s\n", threads, bytes / 1e9, passes, best / 1e9);
    return 0;
}
