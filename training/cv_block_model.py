"""Compares block-model candidates out of fold (grouped by site).

    python training/cv_block_model.py CORPUS_DIR DUMP.jsonl CANDIDATE...

Same data, aligned labels and 5 site-grouped folds as `train_blocks.py
--align --cv` (wcxb-dev's TUNING part only). For each candidate (a name
of CANDIDATES below), every block gets its out-of-fold score; the bodies
`extract` would make (its threshold rule, an empty body falling back to
the current one) are scored with the word metric on the pages of each
type the block model extracts (by predicted type, documentation from
confidence 0.75), and their mean over those four types' pages ("four").
"only:a,b" keeps, of the outline features of commit 2181df4 (measured and
reverted: a dump made at that commit has them), only a and b. Candidates
and their figures: training/README.md ("Block-model candidates").
"""

import sys
from collections import Counter, defaultdict

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from train_blocks import PARAMS, block_matrix, counts_f1, labels_aligned, load, tokens

SHIPPED = (0.3, 0.2, 0.45)
TYPES = ("listing", "collection", "service", "documentation")
MIN_CONFIDENCE = 0.75


def words_of(pages):
    return np.array([len(tokens(b["text"])) for p in pages for b in p["blocks"]], dtype=float)


# name -> (model parameters, sample weight from block word counts, dropped feature names)
CANDIDATES = {
    "shipped": (PARAMS, None, ()),
    "sqrt_words": (PARAMS, lambda w: np.sqrt(np.maximum(w, 1)), ()),
    "log_words": (PARAMS, lambda w: np.log1p(w), ()),
    "words": (PARAMS, lambda w: np.maximum(w, 1), ()),
    "d4_300_05": (dict(PARAMS, max_depth=4, max_iter=300, learning_rate=0.05), None, ()),
    "d5_300_05": (dict(PARAMS, max_depth=5, max_iter=300, learning_rate=0.05), None, ()),
    "d3_300_05": (dict(PARAMS, max_iter=300, learning_rate=0.05), None, ()),
    "d4_150_l2": (dict(PARAMS, max_depth=4, l2_regularization=1.0, min_samples_leaf=50), None, ()),
    "d3_75": (dict(PARAMS, max_iter=75), None, ()),
    "d2_300": (dict(PARAMS, max_depth=2, max_iter=300), None, ()),
    "balanced": (dict(PARAMS, class_weight="balanced"), None, ()),
    "d4_300_05_sqrt": (dict(PARAMS, max_depth=4, max_iter=300, learning_rate=0.05),
                       lambda w: np.sqrt(np.maximum(w, 1)), ()),
    "no_outline": (PARAMS, None, ("heading_level", "dup_log", "has_h1", "h1_offset",
                                  "section_level", "section_gap", "section_share",
                                  "boilerplate")),
}
OUTLINE = CANDIDATES["no_outline"][2]


def oof_scores(X, y, groups, params, weight):
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(X, y, groups):
        m = HistGradientBoostingClassifier(**params)
        m.fit(X[tr], y[tr], sample_weight=None if weight is None else weight[tr])
        oof[te] = m.predict_proba(X[te])[:, 1]
    return oof


def evaluate(pages, names, oof, page_of):
    empty_i, inside_i = names.index("typed_empty"), names.index("in_typed")
    by_type = defaultdict(list)
    art = []
    for i, p in enumerate(pages):
        t = p["predicted"]
        expected = Counter(tokens(p["expected"]))
        body = Counter()
        for b, s in zip(p["blocks"], oof[page_of == i]):
            f = b["features"]
            where = 0 if f[empty_i] > 0.5 else (1 if f[inside_i] >= 0.5 else 2)
            if s >= SHIPPED[where]:
                body.update(tokens(b["text"]))
        f1 = counts_f1(expected, body if body else Counter(tokens(p["body"])))
        if t in TYPES and not (t == "documentation" and p["confidence"] < MIN_CONFIDENCE):
            by_type[t].append(f1)
        elif t == "article":
            art.append(f1)
    four = [f for t in TYPES for f in by_type[t]]
    return {**{t: np.mean(by_type[t]) for t in TYPES}, "four": np.mean(four),
            "loss4": sum(1 - f for f in four), "article": np.mean(art)}


def main():
    corpus_dir, dump = sys.argv[1:3]
    names, pages = load(corpus_dir, dump)
    X, y, groups, page_of = block_matrix(pages, labels_aligned)
    w = words_of(pages)
    print(f"{len(pages)} pages, {len(y)} blocks, {len(names)} features", flush=True)
    for cand in sys.argv[3:]:
        if cand.startswith("only:"):
            # the outline features but these dropped
            wanted = cand[5:].split(",")
            params, weight = PARAMS, None
            dropped = tuple(n for n in OUTLINE if n not in wanted)
        else:
            params, weight, dropped = CANDIDATES[cand]
        keep = [i for i, n in enumerate(names) if n not in dropped]
        oof = oof_scores(X[:, keep], y, groups, params, None if weight is None else weight(w))
        acc = ((oof >= 0.5) == y).mean()
        r = evaluate(pages, names, oof, page_of)
        print(f"{cand:16} acc {acc:.4f} " + " ".join(
            f"{k} {v:.4f}" for k, v in r.items()), flush=True)


if __name__ == "__main__":
    main()
