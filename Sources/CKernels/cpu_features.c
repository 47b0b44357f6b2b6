// See cpu_features.h. The answer is computed once per process and kept.
#include "cpu_features.h"

enum { FEATURE_AVX2 = 1, FEATURE_FMA = 2, FEATURES_KNOWN = 4 };

static int features(void) {
    static int cached = 0;   // a benign race: every thread computes the same value
    if (!cached) {
        int found = FEATURES_KNOWN;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2")) found |= FEATURE_AVX2;
        if (__builtin_cpu_supports("fma")) found |= FEATURE_FMA;
#endif
        cached = found;
    }
    return cached;
}

int onecheck_cpu_has_avx2(void) { return (features() & FEATURE_AVX2) != 0; }

int onecheck_cpu_has_fma(void) { return (features() & FEATURE_FMA) != 0; }
