"""The scoring job done the way a Python user would: polars read_csv, numpy X @ W, logistic, polars write_csv.

It implements the OneCheck model format (models/MODEL_FORMAT.md) independently, so besides timing it serves as
a cross-check: compare_outputs.py checks that both tools produce the same numbers.

With --reasons K it also writes, per head, the K features that cost the entity most, as `onecheck score --reasons K`
does (models/MODEL_FORMAT.md): a feature's contribution is the sum of its design columns times the head's weights,
its cost that contribution minus the most favourable one (every bin or level; for a numeric feature the two ends of
its training range, and the missing state when it imputes), reasons are the costs > 0, largest first, equal costs
in model order, `<feature>:missing` when the value was missing; costs in points for heads with points.

usage: python score_peer.py MODEL.json INPUT.csv OUTPUT.csv [--reasons K]
"""
import json
import math
import sys

import numpy as np
import polars as pl


def design_matrix(model, frame):
    columns, names, spans, missing_masks = [], [], [], []
    for f in model["features"]:
        col = f.get("column", f["name"])
        start = len(columns)
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
            missing_masks.append(missing if t.get("missing") == "impute" else None)
        elif "categorical" in f:
            t = f["categorical"]
            values = frame[col].cast(pl.Utf8).fill_null("").to_numpy()
            known = np.isin(values, t["levels"])
            missing_masks.append(values == "")
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
            missing_masks.append(np.isnan(x) if "missingWoe" in t else None)
        spans.append((start, len(columns)))
    return np.column_stack(columns), names, spans, missing_masks


def feature_states(f):
    """The design values a feature can take that bound its contribution (rows: states, columns: its design columns)."""
    if "binned" in f:
        t = f["binned"]
        return np.array([[w] for w in t["woe"] + ([t["missingWoe"]] if "missingWoe" in t else [])])
    if "categorical" in f:
        t = f["categorical"]
        if t["encoding"] != "one-hot":
            return np.array([[w] for w in t["woe"] + ([t.get("unseenWoe", 0.0)] if t.get("unseen") == "bin" else [])])
        slots = [level for level in t["levels"] if level != t.get("reference")]
        width = len(slots) + (1 if t.get("unseen") == "bin" else 0)
        states = [[1.0 if slots[k] == level else 0.0 for k in range(len(slots))] + [0.0] * (width - len(slots))
                  for level in t["levels"]]
        if t.get("unseen") == "bin":
            states.append([0.0] * len(slots) + [1.0])
        return np.array(states)
    t = f["numeric"]
    if "trainingMin" not in t:
        raise ValueError(f"{f['name']}: no training range, so no most favourable value")

    def design(raw, missing=False):
        x = t["imputeValue"] if missing else raw
        if t.get("log1p"):
            x = math.log1p(x)
        x = min(max(x, t.get("clipMin", -math.inf)), t.get("clipMax", math.inf))
        if "mean" in t:
            x = (x - t["mean"]) / t["std"]
        return [x] + ([1.0 if missing else 0.0] if t.get("indicator") else [])
    states = [design(t["trainingMin"]), design(t["trainingMax"])]
    if t.get("missing") == "impute":
        states.append(design(None, missing=True))
    return np.array(states)


def reasons(model, x, spans, missing_masks, w, k, out):
    """Adds each head's K reasons (code, cost) to `out`."""
    features = model["features"]
    n = x.shape[0]
    plain = np.array([f["name"] for f in features], dtype=object)
    missing_code = np.array([f["name"] + ":missing" for f in features], dtype=object)
    missing = np.column_stack([m if m is not None else np.zeros(n, dtype=bool) for m in missing_masks])
    states = [feature_states(f) for f in features]
    for j, h in enumerate(model["heads"]):
        contributions = np.column_stack([x[:, a:b] @ w[a:b, j] for a, b in spans])
        baseline = np.array([np.min(states[i] @ w[a:b, j]) for i, (a, b) in enumerate(spans)])
        costs = contributions - baseline
        order = np.argsort(-costs, axis=1, kind="stable")[:, :k]
        top = np.take_along_axis(costs, order, axis=1)
        codes = np.where(np.take_along_axis(missing, order, axis=1), missing_code[order], plain[order])
        scale, decimals = (1.0, 6)
        if "points" in h:
            scale, decimals = h["points"]["pointsToDoubleOdds"] / math.log(2), 2
        for r in range(k):
            kept = top[:, r] > 0
            out[f"{h['name']}_reason_{r + 1}"] = pl.Series(np.where(kept, codes[:, r], None), dtype=pl.Utf8)
            out[f"{h['name']}_reason_{r + 1}_cost"] = pl.Series(
                np.where(kept, np.round(top[:, r] * scale, decimals), np.nan)).fill_nan(None)


def grade(values, bands):
    cuts = np.asarray(bands["cuts"])
    labels = np.asarray(bands.get("labels", ["A", "B", "C", "D"]))
    if bands["measure"] == "points":
        index = np.searchsorted(-cuts, -values, side="left")   # points >= cuts[0] → first label
    else:
        index = np.searchsorted(cuts, values, side="right")    # value < cuts[0] → first label
    return index, labels[index]


def main(model_path, input_path, output_path, *options):
    k = int(options[1]) if options[:1] == ("--reasons",) else 0
    model = json.load(open(model_path))
    frame = pl.read_csv(input_path, infer_schema_length=10000)
    x, names, spans, missing_masks = design_matrix(model, frame)
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
    if k:
        reasons(model, x, spans, missing_masks, w, k, out)
    pl.DataFrame(out).write_csv(output_path)


if __name__ == "__main__":
    main(*sys.argv[1:])
