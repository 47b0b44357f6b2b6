// The scoring kernel: a tall, thin product C = 1·biasᵀ + A·W with A rows × p (p ≈ 10…200) and W p × H (H ≈ 1…16).
//
// Why not dgemm: OpenBLAS packs A and runs a micro-kernel tuned for square blocks; with n = H = 8 it reaches
// about a sixth of the machine's dgemm rate (measured by Benchmarks' kernel-ratio). Here each group of 8 heads
// lives in two AVX2 registers per row, four rows at a time (8 independent FMA chains, enough to cover the FMA
// latency), and A is read once, row by row, straight from where the encoder wrote it.
//
// Why fused multiply-adds in a fixed order: every output is the chain s ← fma(a_k, w_k, s) for k = 0 … p − 1,
// starting from the bias. IEEE 754 fixes the result of each fma, so the AVX2 path, the portable path and any
// other CPU give the same bits; scores do not depend on the machine (dgemm's blocking does depend on the CPU).
#include "onecheck_kernels.h"
#include <math.h>
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
#define PREFETCH_ROWS 8
#define FAR_ROWS 56

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

__attribute__((target("avx2,fma")))
static void group8_avx2(size_t rows, size_t p, size_t valid, const double *a, size_t lda, const double *wp,
                        const double *bias8, double *c, size_t ldc) {
    const __m256d b0 = _mm256_loadu_pd(bias8), b1 = _mm256_loadu_pd(bias8 + 4);
    size_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *r0 = a + i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
        // The rows PREFETCH_ROWS ahead, one cache line per row every 8 columns: four interleaved row streams
        // defeat the hardware prefetcher, and without this a design matrix in memory is read at under half the
        // machine's bandwidth. A second prefetch, into L2 and FAR_ROWS beyond that, keeps more lines in flight:
        // the 3M × 64 product in memory took 0.13 s instead of 0.15–0.16 s (Benchmarks' kernel-ratio, A/B runs).
        // (Past the last row the addresses are only hints; prefetches never fault.)
        const double *ahead = r0 + PREFETCH_ROWS * lda;
        __m256d c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
        for (size_t k = 0; k < p; k++) {
            if ((k & 7) == 0) {
                _mm_prefetch((const char *)(ahead + k), _MM_HINT_T0);
                _mm_prefetch((const char *)(ahead + lda + k), _MM_HINT_T0);
                _mm_prefetch((const char *)(ahead + 2 * lda + k), _MM_HINT_T0);
                _mm_prefetch((const char *)(ahead + 3 * lda + k), _MM_HINT_T0);
                const double *far = ahead + FAR_ROWS * lda;
                _mm_prefetch((const char *)(far + k), _MM_HINT_T1);
                _mm_prefetch((const char *)(far + lda + k), _MM_HINT_T1);
                _mm_prefetch((const char *)(far + 2 * lda + k), _MM_HINT_T1);
                _mm_prefetch((const char *)(far + 3 * lda + k), _MM_HINT_T1);
            }
            const __m256d w0 = _mm256_loadu_pd(wp + 8 * k), w1 = _mm256_loadu_pd(wp + 8 * k + 4);
            __m256d x = _mm256_broadcast_sd(r0 + k);
            c00 = _mm256_fmadd_pd(x, w0, c00); c01 = _mm256_fmadd_pd(x, w1, c01);
            x = _mm256_broadcast_sd(r1 + k);
            c10 = _mm256_fmadd_pd(x, w0, c10); c11 = _mm256_fmadd_pd(x, w1, c11);
            x = _mm256_broadcast_sd(r2 + k);
            c20 = _mm256_fmadd_pd(x, w0, c20); c21 = _mm256_fmadd_pd(x, w1, c21);
            x = _mm256_broadcast_sd(r3 + k);
            c30 = _mm256_fmadd_pd(x, w0, c30); c31 = _mm256_fmadd_pd(x, w1, c31);
        }
        double *o = c + i * ldc;
        store8(o, c00, c01, valid); store8(o + ldc, c10, c11, valid);
        store8(o + 2 * ldc, c20, c21, valid); store8(o + 3 * ldc, c30, c31, valid);
    }
    for (; i < rows; i++) {
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

__attribute__((target("avx2,fma")))
static void group4_avx2(size_t rows, size_t p, size_t valid, const double *a, size_t lda, const double *wp,
                        const double *bias4, double *c, size_t ldc) {
    const __m256d b = _mm256_loadu_pd(bias4);
    size_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *r0 = a + i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
        __m256d c0 = b, c1 = b, c2 = b, c3 = b;
        for (size_t k = 0; k < p; k++) {
            const __m256d w = _mm256_loadu_pd(wp + 4 * k);
            c0 = _mm256_fmadd_pd(_mm256_broadcast_sd(r0 + k), w, c0);
            c1 = _mm256_fmadd_pd(_mm256_broadcast_sd(r1 + k), w, c1);
            c2 = _mm256_fmadd_pd(_mm256_broadcast_sd(r2 + k), w, c2);
            c3 = _mm256_fmadd_pd(_mm256_broadcast_sd(r3 + k), w, c3);
        }
        double *o = c + i * ldc;
        store4(o, c0, valid); store4(o + ldc, c1, valid); store4(o + 2 * ldc, c2, valid); store4(o + 3 * ldc, c3, valid);
    }
    for (; i < rows; i++) {
        const double *r = a + i * lda;
        __m256d acc = b;
        for (size_t k = 0; k < p; k++) acc = _mm256_fmadd_pd(_mm256_broadcast_sd(r + k), _mm256_loadu_pd(wp + 4 * k), acc);
        store4(c + i * ldc, acc, valid);
    }
}

static int detect_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

int onecheck_tall_product_vectorised(void) {
#ifdef ONECHECK_X86
    static int cached = -1;   // a benign race: every thread computes the same value
    if (cached < 0) cached = detect_avx2_fma();
    return cached;
#else
    return 0;
#endif
}

// Walks the head groups, handing each one's padded bias and packed weights to the group kernel. With more than
// one group, rows go in panels of 128 so that a panel of A (128 × p doubles) stays in L2 across the groups.
static void run_groups(size_t rows, size_t p, size_t heads, const double *a, size_t lda, const double *packed,
                       const double *bias, double *c, size_t ldc, int vectorised) {
    const size_t panel = heads > 8 ? 128 : rows;
    for (size_t i0 = 0; i0 < rows; i0 += panel) {
        const size_t n = rows - i0 < panel ? rows - i0 : panel;
        const double *wp = packed, *ap = a + i0 * lda;
        double *cp = c + i0 * ldc;
        for (size_t j0 = 0; j0 < heads;) {
            size_t gw = group_width(heads - j0), valid = gw < heads - j0 ? gw : heads - j0;
            double b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            memcpy(b, bias + j0, valid * sizeof(double));
#ifdef ONECHECK_X86
            if (vectorised && gw == 8) group8_avx2(n, p, valid, ap, lda, wp, b, cp + j0, ldc);
            else if (vectorised) group4_avx2(n, p, valid, ap, lda, wp, b, cp + j0, ldc);
            else group_portable(n, p, gw, valid, ap, lda, wp, b, cp + j0, ldc);
#else
            (void)vectorised;
            group_portable(n, p, gw, valid, ap, lda, wp, b, cp + j0, ldc);
#endif
            wp += p * gw;
            j0 += valid;
        }
    }
}

void onecheck_tall_product(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                           const double *packed, const double *bias, double *c, size_t ldc) {
    run_groups(rows, features, heads, a, lda, packed, bias, c, ldc, onecheck_tall_product_vectorised());
}

void onecheck_tall_product_portable(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                                    const double *packed, const double *bias, double *c, size_t ldc) {
    run_groups(rows, features, heads, a, lda, packed, bias, c, ldc, 0);
}
