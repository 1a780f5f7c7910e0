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

# Regularisation (training/README.md: C=0.03 wins the grouped
# cross-validation of cv_page_type.py but lost on wcxb-dev's validation part).
C = 0.3


def load(paths, with_ids=False):
    names, rows, labels, ids = None, [], [], []
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
                ids.append((d.get("corpus", ""), d.get("id", "")))
    if names is None or not rows:
        sys.exit("no features read")
    X, y = np.array(rows, dtype=np.float64), np.array(labels)
    return (names, X, y, ids) if with_ids else (names, X, y)


def signed_log(X):
    """log(1 + |x|) with x's sign: counts and lengths spread over orders of
    magnitude; the log keeps one huge page from dominating a weight."""
    return np.sign(X) * np.log1p(np.abs(X))


class Standardised:
    """A logistic regression over standardised (optionally signed-log)
    features: the shipped kind of model."""

    def __init__(self, C, log, class_weight=None):
        self.C, self.log, self.class_weight = C, log, class_weight

    def fit(self, X, y):
        X = signed_log(X) if self.log else X
        self.mean = X.mean(axis=0)
        self.scale = X.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.lr = LogisticRegression(
            C=self.C, max_iter=10000, tol=1e-8, solver="lbfgs", class_weight=self.class_weight
        )
        self.lr.fit((X - self.mean) / self.scale, y)
        return self

    def predict(self, X):
        X = signed_log(X) if self.log else X
        return self.lr.predict((X - self.mean) / self.scale)


def trees(X, y):
    from sklearn.ensemble import HistGradientBoostingClassifier

    m = HistGradientBoostingClassifier(
        max_iter=200, max_depth=2, learning_rate=0.1, early_stopping=False, random_state=0
    )
    return m.fit(X, y)


# The models cv_page_type.py compares (grouped by site, out of fold).
CANDIDATES = {
    **{f"lr C={c}": (lambda c: lambda X, y: Standardised(c, False).fit(X, y))(c)
       for c in (0.01, 0.03, 0.1, 0.3, 1.0)},
    **{f"lr log C={c}": (lambda c: lambda X, y: Standardised(c, True).fit(X, y))(c)
       for c in (0.03, 0.1, 0.3, 1.0)},
    **{f"lr log balanced C={c}": (
        lambda c: lambda X, y: Standardised(c, True, "balanced").fit(X, y))(c)
       for c in (0.1, 0.3)},
    "trees 200x depth 2": trees,
}


def fit(name, X, y):
    return CANDIDATES[name](X, y)


def r(x):
    v = round(float(x), 6)
    return 0.0 if v == 0 else v


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, dumps = sys.argv[1], sys.argv[2:]
    names, X, y = load(dumps)
    shipped = Standardised(C, False).fit(X, y)
    model = shipped.lr
    doc = {
        "kind": "logistic_regression",
        "trained_on": f"{len(y)} tuning pages: "
        + ", ".join(f"{c} {int((y == c).sum())}" for c in sorted(set(y))),
        "features": names,
        "mean": [r(v) for v in shipped.mean],
        "scale": [r(v) for v in shipped.scale],
        "classes": [str(c) for c in model.classes_],
        "coef": [[r(v) for v in row] for row in model.coef_],
        "intercept": [r(v) for v in model.intercept_],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    acc = float((shipped.predict(X) == y).mean())
    print(f"{out}: {len(y)} pages, {len(names)} features, training accuracy {acc:.4f}")


if __name__ == "__main__":
    main()
