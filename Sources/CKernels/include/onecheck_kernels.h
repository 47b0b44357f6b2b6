// Hand-written numeric kernels that BLAS does not serve well. See tall_product.c for the contract.
#ifndef ONECHECK_KERNELS_H
#define ONECHECK_KERNELS_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Doubles needed by `onecheck_pack_heads` for `features` × `heads` weights.
size_t onecheck_packed_heads_count(size_t features, size_t heads);

/// Packs row-major `w` (features × heads) into head groups of 8 or 4 columns, zero-padded, in the order the
/// product kernel reads them. `packed` holds `onecheck_packed_heads_count(features, heads)` doubles.
void onecheck_pack_heads(size_t features, size_t heads, const double *w, double *packed);

/// `c[i·ldc + j] = bias[j] + Σ_k a[i·lda + k] · w[k, j]` for i < rows, j < heads, with `packed` from
/// `onecheck_pack_heads`. Every output is one chain of fused multiply-adds over k = 0, 1, …, features − 1 starting
/// from bias[j], so the result is the same bits on every machine and code path (AVX2/FMA or portable).
/// `stream` non-zero: c is large and read later, so whole aligned rows are written with non-temporal stores that
/// bypass the cache (no read of each output line before it is written). Same values either way.
void onecheck_tall_product(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                           const double *packed, const double *bias, double *c, size_t ldc, int stream);

/// 1 when the AVX2/FMA path is used on this CPU, else 0 (for benchmarks and tests to report).
int onecheck_tall_product_vectorised(void);

/// The portable path alone (tests compare it bit for bit with the dispatched one).
void onecheck_tall_product_portable(size_t rows, size_t features, size_t heads, const double *a, size_t lda,
                                    const double *packed, const double *bias, double *c, size_t ldc);

/// `b[k] = (c0·a[k] + c1·a[k − 1]) + c2·a[k − 2]` for `lower ≤ k < upper` (`lower ≥ 2`), each product and sum
/// rounded in that order, no fused multiply-add: the same bits on every code path and CPU. `a` and `b` must not
/// overlap. See three_tap.c.
void onecheck_three_tap(const double *a, double *b, size_t lower, size_t upper, double c0, double c1, double c2);

/// 1 when `onecheck_three_tap` runs the AVX2 path on this CPU, else 0.
int onecheck_three_tap_vectorised(void);

/// The portable path alone (tests compare it bit for bit with the dispatched one).
void onecheck_three_tap_portable(const double *a, double *b, size_t lower, size_t upper,
                                 double c0, double c1, double c2);

#ifdef __cplusplus
}
#endif
#endif
