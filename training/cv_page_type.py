#!/usr/bin/env python3
"""Grouped-by-site cross-validation of page-type models on the TUNING
dumps (never the validation part), to choose the model and its
regularisation that training/train_page_type.py ships.

    python3 training/cv_page_type.py CORPUS_ROOT DUMP.jsonl [DUMP.jsonl ...]

CORPUS_ROOT holds the corpora (`../shared/corpus`): each dump line's
`corpus` and `id` name an entry of CORPUS_ROOT/<corpus>/index.jsonl,
whose URL gives the page's site. Pages of one site are in one fold (5
folds, GroupKFold: deterministic), so the figures are out of fold AND out
of site, as the validation part is. Printed per candidate: accuracy and
macro-F1 over the wcxb-dev pages (the publishers pages are extra article
examples for training, not scored), and per-type F1.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_page_type import CANDIDATES, fit, load  # noqa: E402

# Second-level labels under which a registrable domain has three labels
# (co.uk, com.au, ...): enough to group a site's pages, not a suffix list.
SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gv"}


def site(url):
    host = (urlparse(url.strip()).hostname or "").lower()
    labels = host.split(".")
    n = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-n:])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, dumps = sys.argv[1], sys.argv[2:]
    names, X, y, ids = load(dumps, with_ids=True)
    urls = {}
    for corpus in {c for c, _ in ids}:
        with open(os.path.join(root, corpus, "index.jsonl"), encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                urls[(corpus, d["id"])] = d["url"]
    groups = np.array([site(urls[k]) for k in ids])
    scored = np.array([c == "wcxb-dev" for c, _ in ids])
    folds = list(GroupKFold(n_splits=5).split(X, y, groups))
    classes = sorted(set(y[scored]))
    print(f"{len(y)} pages ({scored.sum()} scored), {len(set(groups))} sites, {len(names)} features")
    print("candidate".ljust(34), "accuracy", "macro-F1", " ".join(c[:5].rjust(5) for c in classes))
    for name in CANDIDATES:
        pred = np.empty_like(y)
        for train, test in folds:
            model = fit(name, X[train], y[train])
            pred[test] = model.predict(X[test])
        acc = (pred[scored] == y[scored]).mean()
        per = f1_score(y[scored], pred[scored], labels=classes, average=None)
        print(f"{name:34} {acc:8.4f} {per.mean():8.4f}", " ".join(f"{v:5.3f}" for v in per))


if __name__ == "__main__":
    main()
