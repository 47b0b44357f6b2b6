"""The scoring job done the way a Python user would: polars read_csv, numpy X @ W, logistic, polars write_csv.

It implements the OneCheck model format (models/MODEL_FORMAT.md) independently, so besides timing it serves as
a cross-check: compare_outputs.py checks that both tools produce the same numbers.

usage: python score_peer.py MODEL.json INPUT.csv OUTPUT.csv
"""
import json
import math
import sys

import numpy as np
import polars as pl


def design_matrix(model, frame):
    columns, names = [], []
    for f in model["features"]:
        col = f.get("column", f["name"])
        if "numeric" in f:
            t = f["numeric"]
            x = frame[col].cast(pl.Float64).to_numpy()
            missing = np.isnan(x)
            if t.get("missing") == "impute":
                x = np.where(missing, t["imputeValue"], x)
            elif missing.any():
                raise ValueError(f"{col}: missing value without a policy")
            if t.get("log1p"):
                x = np.log1p(x)
            if "clipMin" in t or "clipMax" in t:
                x = np.clip(x, t.get("clipMin", -np.inf), t.get("clipMax", np.inf))
            if "mean" in t:
                x = (x - t["mean"]) / t["std"]
            columns.append(x); names.append(f["name"])
            if t.get("indicator"):
                columns.append(missing.astype(np.float64)); names.append(f["name"] + ":missing")
        elif "categorical" in f:
            t = f["categorical"]
            values = frame[col].fill_null("").to_numpy()
            known = np.isin(values, t["levels"])
            if t["encoding"] == "one-hot":
                for level in t["levels"]:
                    if level != t.get("reference"):
                        columns.append((values == level).astype(np.float64)); names.append(f"{f['name']}={level}")
                if t.get("unseen") == "bin":
                    columns.append((~known).astype(np.float64)); names.append(f"{f['name']}=(unseen)")
            else:
                lookup = dict(zip(t["levels"], t["woe"]))
                columns.append(np.array([lookup.get(v, t.get("unseenWoe", 0.0)) for v in values]))
                names.append(f["name"] + ":woe")
        else:
            t = f["binned"]
            x = frame[col].cast(pl.Float64).to_numpy()
            woe = np.asarray(t["woe"])[np.searchsorted(np.asarray(t["cuts"]), x, side="right")]
            columns.append(np.where(np.isnan(x), t.get("missingWoe", np.nan), woe)); names.append(f["name"] + ":woe")
    return np.column_stack(columns), names


def grade(values, bands):
    cuts = np.asarray(bands["cuts"])
    labels = np.asarray(bands.get("labels", ["A", "B", "C", "D"]))
    if bands["measure"] == "points":
        index = np.searchsorted(-cuts, -values, side="left")   # points >= cuts[0] → first label
    else:
        index = np.searchsorted(cuts, values, side="right")    # value < cuts[0] → first label
    return index, labels[index]


def main(model_path, input_path, output_path):
    model = json.load(open(model_path))
    frame = pl.read_csv(input_path, infer_schema_length=10000)
    x, names = design_matrix(model, frame)
    heads = model["heads"]
    w = np.array([[h["weights"][n] for h in heads] for n in names])
    scores = x @ w + np.array([h["intercept"] for h in heads])
    out = {model["idColumn"]: frame[model["idColumn"]]}
    grade_index = {}
    for j, h in enumerate(heads):
        s = scores[:, j]
        out[h["name"] + "_score"] = np.round(s, 6)
        p = None
        if h["link"] == "logistic":
            p = 1.0 / (1.0 + np.exp(-s))
            out[h["name"] + "_probability"] = np.round(p, 8)
        pts = None
        if "points" in h:
            sc = h["points"]
            factor = sc["pointsToDoubleOdds"] / math.log(2)
            pts = sc["basePoints"] - factor * math.log(sc["baseOdds"]) - factor * s
            out[h["name"] + "_points"] = np.round(pts, 2)
        if "grades" in h:
            g = h["grades"]
            measure = {"probability": p, "score": s, "points": pts}[g["measure"]]
            grade_index[h["name"]], out[h["name"] + "_grade"] = grade(measure, g)
    rule = model.get("supervisionClass")
    if rule:
        labels = np.asarray(next(h for h in heads if h["name"] == rule["heads"][0])["grades"].get("labels", ["A", "B", "C", "D"]))
        worst = np.max(np.column_stack([grade_index[n] for n in rule["heads"]]), axis=1)
        out["supervision_class"] = labels[worst]
    pl.DataFrame(out).write_csv(output_path)


if __name__ == "__main__":
    main(*sys.argv[1:4])
