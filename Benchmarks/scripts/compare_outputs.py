"""Checks that two score files agree: same ids in the same order, numbers within the printed precision,
identical grades and reason codes. usage: python compare_outputs.py OURS.csv PEER.csv"""
import sys

import numpy as np
import polars as pl

ours, peer = pl.read_csv(sys.argv[1]), pl.read_csv(sys.argv[2])
assert ours.columns == peer.columns, (ours.columns, peer.columns)
assert ours.height == peer.height
worst = {}
for c in ours.columns:
    a, b = ours[c], peer[c]
    if a.dtype.is_numeric() and b.dtype.is_numeric():
        x, y = a.cast(pl.Float64).to_numpy(), b.cast(pl.Float64).to_numpy()
        empty = np.isnan(x)
        assert (empty == np.isnan(y)).all(), f"{c}: empty in {int((empty != np.isnan(y)).sum())} rows of one file only"
        d = np.abs(x[~empty] - y[~empty]) if (~empty).any() else np.zeros(1)
        # Points and reason costs of heads with points have 2 decimals; the rest 6 or 8.
        tolerance = 1.01e-2 if c.endswith("_points") or c.endswith("_cost") else 1.01e-6
        worst[c] = float(d.max())
        assert worst[c] <= tolerance, f"{c}: max difference {worst[c]}"
    else:
        mismatches = int((a.cast(pl.Utf8) != b.cast(pl.Utf8)).sum())
        assert mismatches == 0, f"{c}: {mismatches} rows differ"
print("outputs agree; largest numeric differences:", ", ".join(f"{k} {v:.2g}" for k, v in worst.items()))
