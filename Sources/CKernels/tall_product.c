// The scoring kernel: a tall, thin product C = 1·biasᵀ + A·W with A rows × p (p ≈ 10…200) and W p × H (H ≈ 1…16).
//
// Why not dgemm: OpenBLAS packs A and runs a micro-kernel tuned for square blocks; with n = H = 8 it reaches
// about a sixth of the machine's dgemm rate (measured by Benchmarks' kernel-ratio). Here each group of 8 heads
// lives in two AVX2 registers per row, six rows at a time (12 independent FMA chains), and A is read once, in
// place, straight from where the encoder wrote it, as six bands each read front to back.
//
// Why fused multiply-adds in a fixed order: every output is the chain s ← fma(a_k, w_k, s) for k = 0 … p − 1,
// starting from the bias. IEEE 754 fixes the result of each fma, so the AVX2 path, the portable path and any
// other CPU give the same bits; scores do not depend on the machine (dgemm's blocking does depend on the CPU).
#include "onecheck_kernels.h"
#include "cpu_features.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ONECHECK_X86 1
#endif

// Head groups: 8 columns while at least 5 remain, then 4 (zero-padded). 9 heads → 8 + 4.
static size_t group_width(size_t remaining) { return remaining > 4 ? 8 : 4; }

size_t onecheck_packed_heads_count(size_t features, size_t heads) {
    size_t total = 0;
    for (size_t j = 0; j < heads;) {
        size_t gw = group_width(heads - j);
        total += features * gw;
        j += gw < heads - j ? gw : heads - j;
    }
    return total;
}

void onecheck_pack_heads(size_t features, size_t heads, const double *w, double *packed) {
    for (size_t j0 = 0; j0 < heads;) {
        size_t gw = group_width(heads - j0), valid = gw < heads - j0 ? gw : heads - j0;
        for (size_t k = 0; k < features; k++)
            for (size_t t = 0; t < gw; t++) packed[k * gw + t] = t < valid ? w[k * heads + j0 + t] : 0.0;
        packed += features * gw;
        j0 += valid;
    }
}

// One group of `gw` packed columns for rows [0, rows): the reference order, one row at a time.
static void group_portable(size_t rows, size_t p, size_t gw, size_t valid, const double *a, size_t lda,
                           const double *wp, const double *bias, double *c, size_t ldc) {
    double acc[8];
    for (size_t i = 0; i < rows; i++) {
        const double *x = a + i * lda;
        for (size_t t = 0; t < gw; t++) acc[t] = t < valid ? bias[t] : 0.0;
        for (size_t k = 0; k < p; k++)
            for (size_t t = 0; t < gw; t++) acc[t] = fma(x[k], wp[k * gw + t], acc[t]);
        memcpy(c + i * ldc, acc, valid * sizeof(double));
    }
}

#ifdef ONECHECK_X86
// Which rows go side by side: one from each of six (or eight) bands, not six neighbours.
//
// A step computes several rows at once, for independent FMA chains. Taken from one contiguous block, those rows are
// six interleaved streams 8·lda bytes apart that jump ahead by the block at its end; the hardware prefetchers do
// not follow that, and the kernel had to prefetch the next block in software. Cut into bands instead, the rows
// computed together are band 0's row i, band 1's row i, …; each band is then read front to back, one sequential
// stream per band, which the prefetchers do follow. Scores land in the same places either way, and each is the same
// chain, so the bits do not change.
//
// On the 3M × 64 → 8 product read from memory on both cores (a C harness over this file, 15 rounds, the order
// alternating) a vector-load sum of X, read front to back, took 0.95–0.99 of the kernel's time with bands, against
// 0.72–0.84 with neighbour rows and the next block prefetched in software. Software prefetch added to the bands
// slowed them down.

// Stores `valid` of the 8 lanes in (lo, hi).
__attribute__((target("avx2,fma")))
static inline void store8(double *out, __m256d lo, __m256d hi, size_t valid) {
    if (valid == 8) { _mm256_storeu_pd(out, lo); _mm256_storeu_pd(out + 4, hi); return; }
    double tmp[8];
    _mm256_storeu_pd(tmp, lo);
    _mm256_storeu_pd(tmp + 4, hi);
    memcpy(out, tmp, valid * sizeof(double));
}

__attribute__((target("avx2,fma")))
static inline void store4(double *out, __m256d v, size_t valid) {
    if (valid == 4) { _mm256_storeu_pd(out, v); return; }
    double tmp[4];
    _mm256_storeu_pd(tmp, v);
    memcpy(out, tmp, valid * sizeof(double));
}

// Writes a row's 8 (or 4) lanes: non-temporal when `stream` (whole, aligned rows; see run_groups), else `valid` lanes.
#define PUT8(o, lo, hi) do {                                                                                \
        if (stream) { _mm256_stream_pd((o), (lo)); _mm256_stream_pd((o) + 4, (hi)); }                       \
        else store8((o), (lo), (hi), valid);                                                                 \
    } while (0)
#define PUT4(o, v) do { if (stream) _mm256_stream_pd((o), (v)); else store4((o), (v), valid); } while (0)

// One k-step of six rows (one per band) × 8 heads: 12 independent FMA chains, slack over the 8 that two FMA pipes
// with a 4-cycle latency need (a gcc build of this loop scored 3M in-cache rows on one core in 0.09 s, against
// 0.12 s with four rows; clang builds measured too noisily to tell).
#define STEP6(k) do {                                                                                       \
        const __m256d w0 = _mm256_loadu_pd(wp + 8 * (k)), w1 = _mm256_loadu_pd(wp + 8 * (k) + 4);         \
        __m256d x = _mm256_broadcast_sd(x0 + (k));                                                          \
        c00 = _mm256_fmadd_pd(x, w0, c00); c01 = _mm256_fmadd_pd(x, w1, c01);                               \
        x = _mm256_broadcast_sd(x0 + band + (k));                                                           \
        c10 = _mm256_fmadd_pd(x, w0, c10); c11 = _mm256_fmadd_pd(x, w1, c11);                               \
        x = _mm256_broadcast_sd(x0 + 2 * band + (k));                                                       \
        c20 = _mm256_fmadd_pd(x, w0, c20); c21 = _mm256_fmadd_pd(x, w1, c21);                               \
        x = _mm256_broadcast_sd(x0 + 3 * band + (k));                                                       \
        c30 = _mm256_fmadd_pd(x, w0, c30); c31 = _mm256_fmadd_pd(x, w1, c31);                               \
        x = _mm256_broadcast_sd(x0 + 4 * band + (k));                                                       \
        c40 = _mm256_fmadd_pd(x, w0, c40); c41 = _mm256_fmadd_pd(x, w1, c41);                               \
        x = _mm256_broadcast_sd(x0 + 5 * band + (k));                                                       \
        c50 = _mm256_fmadd_pd(x, w0, c50); c51 = _mm256_fmadd_pd(x, w1, c51);                               \
    } while (0)

// Rows [0, 6·n) as six bands of n rows, then the last rows % 6 one at a time.
// `stream`: write whole rows of 8 with non-temporal stores (the caller checked alignment; see run_groups).
__attribute__((target("avx2,fma")))
static void group8_avx2(size_t rows, size_t p, size_t valid, const double *a, size_t lda, const double *wp,
                        const double *bias8, double *c, size_t ldc, int stream) {
    const __m256d b0 = _mm256_loadu_pd(bias8), b1 = _mm256_loadu_pd(bias8 + 4);
    const size_t n = rows / 6, band = n * lda, out_band = n * ldc;
    for (size_t i = 0; i < n; i++) {
        const double *x0 = a + i * lda;
        __m256d c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        __m256d c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        for (size_t k = 0; k < p; k++) STEP6(k);
        double *o = c + i * ldc;
        PUT8(o, c00, c01); PUT8(o + out_band, c10, c11); PUT8(o + 2 * out_band, c20, c21);
        PUT8(o + 3 * out_band, c30, c31); PUT8(o + 4 * out_band, c40, c41); PUT8(o + 5 * out_band, c50, c51);
    }
    for (size_t i = 6 * n; i < rows; i++) {
        const double *r = a + i * lda;
        __m256d lo = b0, hi = b1;
        for (size_t k = 0; k < p; k++) {
            const __m256d x = _mm256_broadcast_sd(r + k);
            lo = _mm256_fmadd_pd(x, _mm256_loadu_pd(wp + 8 * k), lo);
            hi = _mm256_fmadd_pd(x, _mm256_loadu_pd(wp + 8 * k + 4), hi);
        }
        store8(c + i * ldc, lo, hi, valid);
    }
}

// One k-step of eight rows (one per band) × 4 heads: 8 chains.
#define STEP8x4(k) do {                                                                                     \
        const __m256d w = _mm256_loadu_pd(wp + 4 * (k));                                                    \
        c0 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + (k)), w, c0);                                         \
        c1 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + band + (k)), w, c1);                                  \
        c2 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 2 * band + (k)), w, c2);                              \
        c3 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 3 * band + (k)), w, c3);                              \
        c4 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 4 * band + (k)), w, c4);                              \
        c5 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 5 * band + (k)), w, c5);                              \
        c6 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 6 * band + (k)), w, c6);                              \
        c7 = _mm256_fmadd_pd(_mm256_broadcast_sd(x0 + 7 * band + (k)), w, c7);                              \
    } while (0)

// Rows [0, 8·n) as eight bands of n rows, then the last rows % 8 one at a time.
__attribute__((target("avx2,fma")))
static void group4_avx2(size_t rows, size_t p, size_t valid, const double *a, size_t lda, const double *wp,
                        const double *bias4, double *c, size_t ldc, int stream) {
    const __m256d b = _mm256_loadu_pd(bias4);
    const size_t n = rows / 8, band = n * lda, out_band = n * ldc;
    for (size_t i = 0; i < n; i++) {
        const double *x0 = a + i * lda;
        __m256d c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b;
        for (size_t k = 0; k < p; k++) STEP8x4(k);
        double *o = c + i * ldc;
        PUT4(o, c0); PUT4(o + out_band, c1); PUT4(o + 2 * out_band, c2); PUT4(o + 3 * out_band, c3);
        PUT4(o + 4 * out_band, c4); PUT4(o + 5 * out_band, c5); PUT4(o + 6 * out_band, c6);
        PUT4(o + 7 * out_band, c7);
    }
    for (size_t i = 8 * n; i < rows; i++) {
        const double *r = a + i * lda;
        __m256d acc = b;
        for (size_t k = 0; k < p; k++) acc = _mm256_fmadd_pd(_mm256_broadcast_sd(r + k), _mm256_loadu_pd(wp + 4 * k), acc);
        store4(c + i * ldc, acc, valid);
    }
}

#endif

int onecheck_tall_product_vectorised(void) { return onecheck_cpu_has_avx2() && onecheck_cpu_has_fma(); }

// Walks the head groups, handing each one's padded bias and packed weights to the group kernel. With more than
// one group, rows go in panels of 128 so that a panel of A (128 × p doubles) stays in L2 across the groups.
// `stream` asks for non-temporal stores; a group uses them only where every row's store is a whole, 32-byte
// aligned vector (a full group, ldc a multiple of 4, c + j0 aligned), and an sfence orders them before return.
static void run_groups(size_t rows, size_t p, size_t heads, const double *a, size_t lda, const double *packed,
                       const double *bias, double *c, size_t ldc, int vectorised, int stream) {
    const size_t panel = heads > 8 ? 128 : rows;
    int streamed = 0;
    for (size_t i0 = 0; i0 < rows; i0 += panel) {
        const size_t n = rows - i0 < panel ? rows - i0 : panel;
        const double *wp = packed, *ap = a + i0 * lda;
        double *cp = c + i0 * ldc;
        for (size_t j0 = 0; j0 < heads;) {
            size_t gw = group_width(heads - j0), valid = gw < heads - j0 ? gw : heads - j0;
            double b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            memcpy(b, bias + j0, valid * sizeof(double));
#ifdef ONECHECK_X86
            const int st = stream && valid == gw && ldc % 4 == 0 && ((uintptr_t)(cp + j0) & 31) == 0;
            streamed |= st;
            if (vectorised && gw == 8) group8_avx2(n, p, valid, ap, lda, wp, b, cp + j0, ldc, st);
            else if (vectorised) group4_avx2(n, p, valid, ap, lda, wp, b, cp + j0, ldc, st);
            else group_portable(n, p, gw, valid, ap, lda, wp, b, cp + j0, ldc);
#else
            (void)vectorised; (void)stream;
            group_portable(n, p, gw, valid, ap, lda, wp, b, cp + j0, ldc);
#endif
            wp += p * gw;
            j0 += valid;
        }
    }
#ifdef ONECHECK_X86
    if (streamed) _mm_sfence();
#else
    (void)streamed;
#endif
}

void onecheck_tall_product(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                           const double *packed, const double *bias, double *c, size_t ldc, int stream) {
    const int vectorised = onecheck_tall_product_vectorised();
    run_groups(rows, features, heads, a, lda, packed, bias, c, ldc, vectorised, vectorised && stream);
}

void onecheck_tall_product_portable(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                                    const double *packed, const double *bias, double *c, size_t ldc) {
    run_groups(rows, features, heads, a, lda, packed, bias, c, ldc, 0, 0);
}
