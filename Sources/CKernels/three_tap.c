// The inner loop of the Poisson–binomial recursion (Planning's PoissonBinomialWindow, which the Pareto design's
// exact inclusion probabilities run over every unit of a stratum): b[k] = (c0·a[k] + c1·a[k−1]) + c2·a[k−2].
//
// Why by hand: the Swift loop is vectorised two doubles wide (the baseline x86-64 target); on a CPU with AVX2 this
// one runs four wide, two vectors per step. Why no fused multiply-add, and the fixed order: every count is the
// same three products and two sums, each rounded, as the Swift loop computed before. IEEE 754 fixes each result,
// so the wide path, the portable path and any CPU give the same bits, and a plan's recorded π (which `verify`
// recomputes) does not depend on the machine. The file turns contraction off, and the AVX2 path is compiled
// without the FMA extension, so the compiler cannot fuse a product into a sum either.
#pragma STDC FP_CONTRACT OFF
#include "onecheck_kernels.h"
#include "cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ONECHECK_X86 1
#endif

void onecheck_three_tap_portable(const double *a, double *b, size_t lower, size_t upper,
                                 double c0, double c1, double c2) {
    for (size_t k = lower; k < upper; k++) b[k] = (c0 * a[k] + c1 * a[k - 1]) + c2 * a[k - 2];
}

#ifdef ONECHECK_X86
__attribute__((target("avx2")))
static void three_tap_avx2(const double *a, double *b, size_t lower, size_t upper,
                           double c0, double c1, double c2) {
    const __m256d v0 = _mm256_set1_pd(c0), v1 = _mm256_set1_pd(c1), v2 = _mm256_set1_pd(c2);
    size_t k = lower;
    for (; k + 8 <= upper; k += 8) {
        __m256d x0 = _mm256_loadu_pd(a + k), y0 = _mm256_loadu_pd(a + k - 1), z0 = _mm256_loadu_pd(a + k - 2);
        __m256d x1 = _mm256_loadu_pd(a + k + 4), y1 = _mm256_loadu_pd(a + k + 3), z1 = _mm256_loadu_pd(a + k + 2);
        __m256d s0 = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(v0, x0), _mm256_mul_pd(v1, y0)), _mm256_mul_pd(v2, z0));
        __m256d s1 = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(v0, x1), _mm256_mul_pd(v1, y1)), _mm256_mul_pd(v2, z1));
        _mm256_storeu_pd(b + k, s0);
        _mm256_storeu_pd(b + k + 4, s1);
    }
    for (; k < upper; k++) b[k] = (c0 * a[k] + c1 * a[k - 1]) + c2 * a[k - 2];
}

#endif

int onecheck_three_tap_vectorised(void) { return onecheck_cpu_has_avx2(); }

void onecheck_three_tap(const double *a, double *b, size_t lower, size_t upper, double c0, double c1, double c2) {
#ifdef ONECHECK_X86
    if (onecheck_three_tap_vectorised()) {
        three_tap_avx2(a, b, lower, upper, c0, c1, c2);
        return;
    }
#endif
    onecheck_three_tap_portable(a, b, lower, upper, c0, c1, c2);
}
