"""Cross-validates the block model's second stage (sequence context), out of fold.

    python training/cv_stage2.py CORPUS_DIR DUMP.jsonl

Stage 1 is the block model of `train_blocks.py`; every block gets its
out-of-fold stage-1 score (5 folds grouped by site, wcxb-dev's TUNING part).
Stage 2 reads its neighbours' stage-1 scores (`train_blocks.neighbour_features`),
with or without the block's own features, and is scored over the same folds
on the bodies it makes with extract's threshold rule, per predicted type (the
types the block model extracts, and articles for reference). The stage-1
scores it learns from are out of fold for the held-out fold only (plain
stacking, not nested).
"""

import sys
from collections import defaultdict

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from train_blocks import (
    PARAMS, STAGE2_PARAMS, block_matrix, labels_aligned, load, neighbour_matrix, out_of_fold,
    rule_threshold, word_f1,
)

TYPES = ("listing", "collection", "service", "documentation", "article")


def bodies_f1(pages, names, scores, page_of):
    rows = defaultdict(list)
    for i, p in enumerate(pages):
        t = p["predicted"]
        if t not in TYPES or (t == "documentation" and p["confidence"] < 0.75):
            continue
        s = scores[page_of == i]
        body = "\n\n".join(b["text"] for b, v in zip(p["blocks"], s) if v >= rule_threshold(b, names))
        rows[t].append(word_f1(p["expected"], body or p["body"]))
    return rows


def main():
    corpus_dir, dump = sys.argv[1:3]
    names, pages = load(corpus_dir, dump)
    X, y, groups, page_of = block_matrix(pages, labels_aligned)
    oof1 = out_of_fold(X, y, groups)
    around = neighbour_matrix(oof1, page_of).astype(np.float32)
    candidates = {
        "stage1": None,
        "stage2 all features": (np.hstack([X, around]).astype(np.float32), PARAMS),
        "stage2 neighbours, 150x3": (around, PARAMS),
        "stage2 neighbours, 50x2 (shipped)": (around, STAGE2_PARAMS),
    }
    for tag, cand in candidates.items():
        if cand is None:
            scores = oof1
        else:
            X2, params = cand
            scores = np.zeros(len(y))
            for tr, te in GroupKFold(n_splits=5).split(X2, y, groups):
                m = HistGradientBoostingClassifier(**params).fit(X2[tr], y[tr])
                scores[te] = m.predict_proba(X2[te])[:, 1]
        rows = bodies_f1(pages, names, scores, page_of)
        four = [v for t in TYPES[:4] for v in rows[t]]
        print(
            f"{tag:34} accuracy {((scores >= 0.5) == y).mean():.4f} "
            + " ".join(f"{t} {np.mean(rows[t]):.4f}" for t in TYPES)
            + f" four types {np.mean(four):.4f}",
            flush=True,
        )

if __name__ == "__main__":
    main()
