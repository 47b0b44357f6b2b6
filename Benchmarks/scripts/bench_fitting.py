#!/usr/bin/env python3
"""Logistic regression fit: OneCheck (fit-bench, LogisticRegression.fit) vs statsmodels Logit and scikit-learn
(lbfgs, newton-cholesky) on the same data, in the same run. Prints medians and ratios (peer / ours).

Large: a seeded n x p design (intercept + p-1 standard normal columns, true coefficients drawn once), written as
raw float64 so both sides fit identical numbers; all threads. Tiny: the German credit reference design
(1000 x 49) with every library on one thread.

    python3 Benchmarks/scripts/bench_fitting.py [--rows 1000000] [--columns 64] [--repeats 5] [--tiny-repeats 21]

Creates Benchmarks/.venv-fit (statsmodels, scikit-learn, numpy, pandas<3, threadpoolctl) on first use.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fit_env import BENCH, DATASETS, ensure_venv  # noqa: E402


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return median(times)


def fit_bench_binary():
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "fit-bench"], cwd=BENCH)
    return BENCH / ".build" / "release" / "fit-bench"


def ours(binary, xpath, ypath, n, p, repeats, threads=None, C=None):
    cmd = [str(binary), "--x", str(xpath), "--y", str(ypath), "--rows", str(n), "--columns", str(p),
           "--repeats", str(repeats)]
    if threads:
        cmd += ["--threads", str(threads)]
    if C is not None:
        cmd += ["--C", str(C)]
    return json.loads(subprocess.check_output(cmd).decode().strip().splitlines()[-1])


def peers(X, y, repeats, single_thread):
    import numpy as np
    import statsmodels.api as sm
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits
    import contextlib
    out = {}
    with (threadpool_limits(limits=1) if single_thread else contextlib.nullcontext()):
        out["statsmodels Logit (newton)"] = timed(lambda: sm.Logit(y, X).fit(disp=0, method="newton", maxiter=100), repeats)
        for solver in ["lbfgs", "newton-cholesky"]:
            # X carries its own intercept column; C=inf (no penalty) matches the unpenalised MLE.
            model = LogisticRegression(C=np.inf, solver=solver, fit_intercept=False, max_iter=1000, tol=1e-8)
            out[f"scikit-learn {solver}"] = timed(lambda: model.fit(X, y), repeats)
    return out


def report(title, ours_result, peer_times):
    print(f"== {title}")
    print(f"  {'OneCheck LogisticRegression.fit':36s} {ours_result['median']:9.4f} s  (1.00; {ours_result['iterations']} Newton steps)")
    for name, t in peer_times.items():
        print(f"  {name:36s} {t:9.4f} s  ({t / ours_result['median']:.2f}x ours)")


def main():
    ensure_venv()
    import numpy as np
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--columns", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--tiny-repeats", type=int, default=21)
    ap.add_argument("--seed", type=int, default=186)
    ap.add_argument("--work", default=str(BENCH / "out" / "fit"))
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    binary = fit_bench_binary()

    # Large problem, all threads.
    n, p = args.rows, args.columns
    rng = np.random.default_rng(args.seed)
    X = np.empty((n, p))
    X[:, 0] = 1.0
    X[:, 1:] = rng.standard_normal((n, p - 1))
    beta = rng.normal(0, 0.3, p)
    beta[0] = -1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ beta))).astype(np.float64)
    xpath, ypath = work / f"X_{n}x{p}.f64", work / f"y_{n}.f64"
    X.astype("<f8").tofile(xpath)
    y.astype("<f8").tofile(ypath)
    big = ours(binary, xpath, ypath, n, p, args.repeats)
    report(f"{n} x {p} logistic fit, all threads (median of {args.repeats})", big, peers(X, y, args.repeats, False))

    # Tiny problem: German credit reference design, one thread everywhere.
    ref = DATASETS / "german-credit" / "reference"
    Xg = np.loadtxt(ref / "X_nohdr.csv", delimiter=",")
    yg = np.loadtxt(ref / "y_nohdr.csv", delimiter=",").reshape(-1)
    xg, yg_path = work / "X_german.f64", work / "y_german.f64"
    Xg.astype("<f8").tofile(xg)
    yg.astype("<f8").tofile(yg_path)
    tiny = ours(binary, xg, yg_path, Xg.shape[0], Xg.shape[1], args.tiny_repeats, threads=1)
    report(f"German credit {Xg.shape[0]} x {Xg.shape[1]}, one thread (median of {args.tiny_repeats})", tiny,
           peers(Xg, yg, args.tiny_repeats, True))


if __name__ == "__main__":
    main()
