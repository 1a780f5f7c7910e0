#!/usr/bin/env python3
"""Trains the page-type model (multinomial logistic regression) from
feature dumps of the corpora's TUNING parts and writes it as JSON.

    python3 training/train_page_type.py OUT.json DUMP.jsonl [DUMP.jsonl ...]

Each dump comes from `cargo run --release --example dump_page_features`
(a `{"names": [...]}` line, then `{"id", "corpus", "page_type",
"features"}` lines). Deterministic: single-threaded, a fixed solver and no
randomness; numbers are written rounded to 6 decimals, so two runs on the
same dumps give byte-identical files. See training/README.md.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

# Regularisation, chosen by 5-fold cross-validation on the tuning parts
# (C in 0.1, 0.3, 1; class weights balanced or not): see the README.
C = 0.3


def load(paths):
    names, rows, labels = None, [], []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if "names" in d:
                    if names is not None and names != d["names"]:
                        sys.exit(f"{path}: feature names differ from the first dump's")
                    names = d["names"]
                    continue
                rows.append(d["features"])
                labels.append(d["page_type"])
    if names is None or not rows:
        sys.exit("no features read")
    return names, np.array(rows, dtype=np.float64), np.array(labels)


def r(x):
    v = round(float(x), 6)
    return 0.0 if v == 0 else v


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, dumps = sys.argv[1], sys.argv[2:]
    names, X, y = load(dumps)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    model = LogisticRegression(C=C, max_iter=10000, tol=1e-8, solver="lbfgs")
    model.fit(Z, y)
    doc = {
        "kind": "logistic_regression",
        "trained_on": f"{len(y)} tuning pages: "
        + ", ".join(f"{c} {int((y == c).sum())}" for c in sorted(set(y))),
        "features": names,
        "mean": [r(v) for v in mean],
        "scale": [r(v) for v in scale],
        "classes": [str(c) for c in model.classes_],
        "coef": [[r(v) for v in row] for row in model.coef_],
        "intercept": [r(v) for v in model.intercept_],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    acc = float((model.predict(Z) == y).mean())
    print(f"{out}: {len(y)} pages, {len(names)} features, training accuracy {acc:.4f}")


if __name__ == "__main__":
    main()
