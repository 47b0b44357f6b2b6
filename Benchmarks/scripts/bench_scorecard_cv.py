#!/usr/bin/env python3
"""German credit scorecards on the same 5 x 5-fold cross-validation folds: OneCheck (`onecheck fit --model-type
scorecard` + `onecheck evaluate`, defaults) vs scorecardpy (woebin + logistic regression) and optbinning
(BinningProcess + logistic regression). Prints mean (sd) test AUC and KS side by side.

The folds (stratified, seeded) are written to out/scorecard-cv/folds.csv (repetition, fold, row, set) and every
library reads the same train/validation rows.

    python3 Benchmarks/scripts/bench_scorecard_cv.py [--folds 5] [--repeats 5] [--seed 186]

Uses Benchmarks/.venv-fit (see bench_fitting.py) and the release onecheck binary.
"""
import argparse, os, re, subprocess, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fit_env import BENCH, DATASETS, ROOT, ensure_venv  # noqa: E402
DATA = DATASETS / "german-credit" / "germancredit.csv"


def auc_ks(y, p):
    from sklearn.metrics import roc_auc_score, roc_curve
    fpr, tpr, _ = roc_curve(y, p)
    return roc_auc_score(y, p), float(max(tpr - fpr))


def ours(onecheck, data, split_path, work):
    model = work / "card.json"
    subprocess.check_call([onecheck, "fit", "--input", str(data), "--target", "creditability", "--positive", "bad",
                           "--split", str(split_path), "--split-set", "train", "--model-type", "scorecard",
                           "--output", str(model)], stdout=subprocess.DEVNULL)
    out = subprocess.check_output([onecheck, "evaluate", "--model", str(model), "--input", str(data),
                                   "--target", "creditability", "--positive", "bad", "--split", str(split_path),
                                   "--split-set", "test"]).decode()
    auc = float(re.search(r"^AUC\s+([0-9.]+)", out, re.M).group(1))
    ks = float(re.search(r"^KS\s+([0-9.]+)", out, re.M).group(1))
    return auc, ks


def scorecardpy_fold(df, train, test):
    import scorecardpy as sc
    from sklearn.linear_model import LogisticRegression
    tr, te = df.iloc[train].copy(), df.iloc[test].copy()
    bins = sc.woebin(tr, y="y", print_step=0)
    tr_w, te_w = sc.woebin_ply(tr, bins, print_step=0), sc.woebin_ply(te, bins, print_step=0)
    # scorecardpy's usual recipe: keep variables with IV >= 0.02, L1 logistic regression (its README example).
    iv = {k: v["total_iv"].iloc[0] for k, v in bins.items()}
    cols = [c for c in tr_w.columns if c != "y" and iv.get(c[:-4], 0) >= 0.02]
    lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", max_iter=5000, random_state=0)
    lr.fit(tr_w[cols], tr_w["y"])
    return auc_ks(te_w["y"], lr.predict_proba(te_w[cols])[:, 1])


def optbinning_fold(df, features, categorical, train, test):
    from optbinning import BinningProcess
    from sklearn.linear_model import LogisticRegression
    X, y = df[features], df["y"].values
    bp = BinningProcess(features, categorical_variables=categorical,
                        selection_criteria={"iv": {"min": 0.02}})
    bp.fit(X.iloc[train], y[train])
    Xtr = bp.transform(X.iloc[train], metric="woe")
    Xte = bp.transform(X.iloc[test], metric="woe")
    lr = LogisticRegression(C=1.0, max_iter=5000)
    lr.fit(Xtr, y[train])
    return auc_ks(y[test], lr.predict_proba(Xte)[:, 1])


def main():
    ensure_venv()
    import warnings
    warnings.filterwarnings("ignore")  # scorecardpy's pandas FutureWarnings would bury the results
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import RepeatedStratifiedKFold
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=186)
    ap.add_argument("--onecheck", default=str(ROOT / ".build" / "release" / "onecheck"))
    args = ap.parse_args()
    work = BENCH / "out" / "scorecard-cv"
    work.mkdir(parents=True, exist_ok=True)

    df = pd.read_csv(DATA)
    df["y"] = (df.pop("creditability") == "bad").astype(int)
    features = [c for c in df.columns if c != "y"]
    categorical = [c for c in features if df[c].dtype == object]

    splitter = RepeatedStratifiedKFold(n_splits=args.folds, n_repeats=args.repeats, random_state=args.seed)
    splits = list(splitter.split(np.zeros(len(df)), df["y"]))
    with open(work / "folds.csv", "w") as f:
        f.write("repetition,fold,row,set\n")
        for k, (train, test) in enumerate(splits):
            for r in train:
                f.write(f"{k // args.folds},{k % args.folds},{r},train\n")
            for r in test:
                f.write(f"{k // args.folds},{k % args.folds},{r},test\n")

    results = {"OneCheck scorecard": [], "scorecardpy": [], "optbinning": []}
    for k, (train, test) in enumerate(splits):
        split_path = work / f"split_{k}.csv"
        with open(split_path, "w") as f:
            f.write("row,set\n")
            for r in sorted(np.concatenate([train, test])):
                f.write(f"{r},{'train' if r in set(train) else 'test'}\n")
        results["OneCheck scorecard"].append(ours(args.onecheck, DATA, split_path, work))
        results["scorecardpy"].append(scorecardpy_fold(df, train, test))
        results["optbinning"].append(optbinning_fold(df, features, categorical, train, test))
        print(f"split {k + 1}/{len(splits)}: " + ", ".join(f"{n} AUC {v[-1][0]:.4f}" for n, v in results.items()),
              flush=True)

    print(f"== German credit, {args.repeats} x {args.folds}-fold stratified CV (seed {args.seed}), mean (sd) over {len(splits)} splits")
    print(f"  {'library':22s} {'AUC':>16s} {'KS':>16s}")
    for name, values in results.items():
        a = np.array(values)
        print(f"  {name:22s} {a[:, 0].mean():.4f} ({a[:, 0].std(ddof=1):.4f}) {a[:, 1].mean():.4f} ({a[:, 1].std(ddof=1):.4f})")


if __name__ == "__main__":
    main()
