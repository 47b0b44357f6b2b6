"""numpy's X @ W on the kernel shape (3M × 64 → 8) against numpy's own square dgemm, default and single-threaded
BLAS, so the Swift kernel-ratio figures have their peer in the same run.
usage: python bench_kernel_numpy.py [--rows 3000000] [--square 2000] [--repeats 5]"""
import argparse
import statistics
import time

import numpy as np

try:
    from threadpoolctl import threadpool_limits, threadpool_info
except ImportError:  # threadpoolctl is optional; without it only the default threading is measured
    threadpool_limits = None


def median_time(f, repeats):
    f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); times.append(time.perf_counter() - t0)
    return statistics.median(times)


ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=3_000_000)
ap.add_argument("--square", type=int, default=2000)
ap.add_argument("--repeats", type=int, default=5)
a = ap.parse_args()
rng = np.random.default_rng(1)
A, B = rng.standard_normal((a.square, a.square)), rng.standard_normal((a.square, a.square))
X, W = rng.standard_normal((a.rows, 64)), rng.standard_normal((64, 8))


def report(label):
    sq = 2 * a.square ** 3 / median_time(lambda: A @ B, a.repeats)
    k = 2 * a.rows * 64 * 8 / median_time(lambda: X @ W, a.repeats)
    print(f"numpy {label}: square dgemm {sq / 1e9:6.2f} GFLOP/s; X @ W {k / 1e9:6.2f} GFLOP/s = {100 * k / sq:5.1f} % of square")


report("default threads")
if threadpool_limits is not None:
    with threadpool_limits(limits=1, user_api="blas"):
        report("1 BLAS thread  ")
    print("numpy BLAS:", [(i.get("internal_api"), i.get("version"), i.get("architecture")) for i in threadpool_info()])
