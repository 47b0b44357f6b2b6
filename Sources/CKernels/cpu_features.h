// Which vector extensions this CPU has: the kernels' one place to ask (private to CKernels).
#ifndef ONECHECK_CPU_FEATURES_H
#define ONECHECK_CPU_FEATURES_H

/// 1 when the CPU (and the operating system) supports AVX2, else 0; always 0 off x86.
int onecheck_cpu_has_avx2(void);

/// 1 when the CPU supports fused multiply-add (FMA3), else 0; always 0 off x86.
int onecheck_cpu_has_fma(void);

#endif
