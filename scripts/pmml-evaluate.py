"""Evaluates a PMML document on a CSV file with JPMML-Evaluator (the reference Java evaluator, through the PyPI
package jpmml-evaluator and the machine's Java), independently of onecheck: the export-model tests compare its
output with onecheck score.

usage: python pmml-evaluate.py INPUT.csv MODEL.pmml OUTPUT.csv [MODEL.pmml OUTPUT.csv ...]
(several models in one run share one Java virtual machine)

Every input column is read as text by pandas and passed as it is (an empty field is a missing value); the
evaluator converts each field to its DataField's type. OUTPUT.csv holds the id (the first input column) and the
model's output fields, numbers written with 17 significant digits.
"""
import csv
import sys

import pandas as pd
from jpmml_evaluator import make_evaluator


def evaluate(model_path, frame, output_path):
    evaluator = make_evaluator(model_path, backend="jpype", lax=False).verify()
    active = [f.getName() for f in evaluator.getInputFields()]
    results = evaluator.evaluateAll(frame[active])
    names = [c for c in results.columns]
    with open(output_path, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([frame.columns[0]] + names)
        for i in range(len(frame)):
            row = [frame.iat[i, 0]]
            for name in names:
                v = results[name].iat[i]
                if v is None or (isinstance(v, float) and v != v):
                    row.append("")
                elif isinstance(v, float):
                    row.append(repr(float(v)))
                else:
                    row.append(str(v))
            writer.writerow(row)


def main(input_path, *pairs):
    if not pairs or len(pairs) % 2:
        sys.exit(__doc__)
    frame = pd.read_csv(input_path, dtype=str, keep_default_na=False, na_values=[""])
    for model_path, output_path in zip(pairs[0::2], pairs[1::2]):
        evaluate(model_path, frame, output_path)


if __name__ == "__main__":
    main(*sys.argv[1:])
