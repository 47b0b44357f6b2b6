"""Writes a copy of a model file with the training range of each numeric feature (`trainingMin`, `trainingMax`,
schema version 2) taken from a data file, as `onecheck fit` stores it, so that a model written by hand (the city's
default model) can give reasons.

usage: python with_training_range.py MODEL.json DATA.csv OUT.json
"""
import json
import sys

import polars as pl


def main(model_path, data_path, out_path):
    model = json.load(open(model_path))
    frame = pl.read_csv(data_path, infer_schema_length=10000)
    for f in model["features"]:
        if "numeric" in f:
            x = frame[f.get("column", f["name"])].cast(pl.Float64).drop_nulls().drop_nans()
            f["numeric"]["trainingMin"], f["numeric"]["trainingMax"] = float(x.min()), float(x.max())
    model["schemaVersion"] = max(model.get("schemaVersion", 1), 2)
    with open(out_path, "w") as out:
        json.dump(model, out, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
