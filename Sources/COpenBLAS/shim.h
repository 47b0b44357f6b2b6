// OpenBLAS's CBLAS (with openblas_set_num_threads) and the reference LAPACKE C interface.
// On Debian both headers come from libopenblas-dev and liblapacke-dev; lapack_int is 32-bit (Int32 in Swift).
#ifndef ONECHECK_COPENBLAS_SHIM_H
#define ONECHECK_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
