"""Trains the block model (models/blocks.json) from dump_block_features output.

    python training/train_blocks.py models/blocks.json CORPUS_DIR DUMP.jsonl [--cv]

CORPUS_DIR is the wcxb-dev folder (its index.jsonl gives each tuning page's
expected text: the labels). A block is main content when most of its words
(lower-cased `\\w+` tokens, the word metric's) are taken from the page's
expected text, counted as a multiset in document order. The model is
scikit-learn's HistGradientBoostingClassifier (deterministic: no early
stopping, fixed random_state; run with OMP_NUM_THREADS=1); its trees are
exported as arrays of nodes (leaf values already scaled by the learning
rate; the features have no missing values). `--cv` prints 5-fold
cross-validation grouped by site (out-of-fold block scores turned into
bodies and scored with the word metric, per page type) before training.
"""

import difflib
import json
import re
import sys
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

WORD = re.compile(r"\w+")
PARAMS = dict(max_iter=150, max_depth=3, learning_rate=0.1, early_stopping=False, random_state=0)
# The second stage (`--stage2`): small trees over the neighbours' scores only
# (training/cv_stage2.py chose it out of fold).
STAGE2_PARAMS = dict(PARAMS, max_iter=50, max_depth=2)
THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]


def tokens(text):
    return WORD.findall(text.lower())


def site(url):
    host = (urlsplit(url.strip()).hostname or "").split(".")
    return ".".join(host[-2:])


def counts_f1(expected, predicted):
    """Word F1 of two token multisets (Counters)."""
    ne, npred = sum(expected.values()), sum(predicted.values())
    if ne == 0 and npred == 0:
        return 1.0
    overlap = sum((expected & predicted).values())
    if overlap == 0:
        return 0.0
    p, r = overlap / npred, overlap / ne
    return 2 * p * r / (p + r)


def word_f1(expected, predicted):
    return counts_f1(Counter(tokens(expected)), Counter(tokens(predicted)))


def labels(expected, blocks):
    bag = Counter(tokens(expected))
    out = []
    for b in blocks:
        words = tokens(b["text"])
        found = 0
        for w in words:
            if bag[w] > 0:
                bag[w] -= 1
                found += 1
        out.append(1 if words and found * 2 > len(words) else 0)
    return out


def labels_aligned(expected, blocks):
    """Labels by alignment: the page's words (all blocks in document order)
    aligned with the expected text's (difflib's matching blocks); a block
    is main content when most of its words are aligned. Unlike the
    multiset, a logo or a menu word that the text repeats further on is not
    taken for the text's."""
    page, owner = [], []
    for k, b in enumerate(blocks):
        for w in tokens(b["text"]):
            page.append(w)
            owner.append(k)
    matched = [0] * len(blocks)
    sm = difflib.SequenceMatcher(None, page, tokens(expected), autojunk=False)
    for a, _, n in sm.get_matching_blocks():
        for i in range(a, a + n):
            matched[owner[i]] += 1
    out = []
    for k, b in enumerate(blocks):
        n = len(tokens(b["text"]))
        out.append(1 if n and matched[k] * 2 > n else 0)
    return out


def load(corpus_dir, dump):
    index = {}
    with open(f"{corpus_dir}/index.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            index[e["id"]] = e
    names, pages = None, []
    with open(dump, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if "names" in d:
                names = d["names"]
                continue
            e = index[d["id"]]
            d["expected"] = e["expected"]["body"]
            d["site"] = site(e["url"])
            pages.append(d)
    return names, pages


def export(model, names):
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": [0 if l else int(f) for f, l in zip(nodes["feature_idx"], leaf)],
            "threshold": [0.0 if l else round(float(t), 6) for t, l in zip(nodes["num_threshold"], leaf)],
            "left": [-1 if l else int(x) for x, l in zip(nodes["left"], leaf)],
            "right": [-1 if l else int(x) for x, l in zip(nodes["right"], leaf)],
            "value": [round(float(v), 6) for v in nodes["value"]],
        })
    return {
        "kind": "gradient_boosting",
        "features": names,
        "init": round(float(np.ravel(model._baseline_prediction)[0]), 6),
        "trees": trees,
    }


# (inside the typed body, outside it): "rule" is extract's pair
# (src/extract/blocks/mod.rs); the others are printed to choose it.
RULES = {"rule": (0.2, 0.45), "r05/45": (0.05, 0.45), "r10/45": (0.1, 0.45),
         "r05/60": (0.05, 0.6), "r10/60": (0.1, 0.6), "r20/60": (0.2, 0.6),
         "r05/75": (0.05, 0.75)}


def rule_threshold(block, names, rule="rule"):
    """The threshold of a rule: 0.3 when the typed extractor found nothing,
    else the rule's inside or outside threshold."""
    f = block["features"]
    if f[names.index("typed_empty")] > 0.5:
        return 0.3
    inside, outside = RULES[rule]
    return inside if f[names.index("in_typed")] >= 0.5 else outside


def block_matrix(pages, label_of):
    """Every page's blocks as rows: features, labels, site groups, page index."""
    X, y, groups, page_of = [], [], [], []
    for i, p in enumerate(pages):
        for b, label in zip(p["blocks"], label_of(p["expected"], p["blocks"])):
            X.append(b["features"])
            y.append(label)
            groups.append(p["site"])
            page_of.append(i)
    return np.array(X, dtype=np.float32), np.array(y), groups, np.array(page_of)


# The second stage's extra features: a block's neighbours' first-stage
# scores (src/extract/blocks/sequence.rs computes the same).
NEIGHBOUR_NAMES = [
    "s1_score", "s1_prev", "s1_next", "s1_prev3_mean", "s1_next3_mean",
    "s1_window3_max", "s1_window3_min", "s1_window10_mean", "s1_run_log",
    "s1_rank", "s1_page_mean", "s1_page_kept", "s1_kept_gap_log",
]


def neighbour_features(s):
    """Each block's NEIGHBOUR_NAMES from its page's first-stage scores `s`
    (document order). A missing neighbour counts -1."""
    n = len(s)
    out = np.zeros((n, len(NEIGHBOUR_NAMES)))
    kept = s >= 0.5
    order = np.sort(s)
    page_mean, page_kept = float(s.mean()) if n else 0.0, float(kept.mean()) if n else 0.0
    # run of blocks on the same side of 0.5
    run = np.zeros(n)
    start = 0
    for i in range(1, n + 1):
        if i == n or kept[i] != kept[start]:
            run[start:i] = i - start
            start = i
    kept_idx = np.flatnonzero(kept)
    for i in range(n):
        prev3, next3 = s[max(0, i - 3):i], s[i + 1:i + 4]
        win3 = np.concatenate([prev3, next3])
        win10 = np.concatenate([s[max(0, i - 10):i], s[i + 1:i + 11]])
        others = kept_idx[kept_idx != i]
        gap = np.abs(others - i).min() if len(others) else -1
        higher = n - np.searchsorted(order, s[i], side="right")
        out[i] = [
            s[i],
            s[i - 1] if i > 0 else -1,
            s[i + 1] if i + 1 < n else -1,
            prev3.mean() if len(prev3) else -1,
            next3.mean() if len(next3) else -1,
            win3.max() if len(win3) else -1,
            win3.min() if len(win3) else -1,
            win10.mean() if len(win10) else -1,
            np.log1p(run[i]),
            higher / n,
            page_mean,
            page_kept,
            np.log1p(gap) if gap >= 0 else -1,
        ]
    return out


def neighbour_matrix(scores, page_of):
    """neighbour_features of every page's blocks, rows as in block_matrix."""
    out = np.zeros((len(scores), len(NEIGHBOUR_NAMES)))
    for i in np.unique(page_of):
        rows = np.flatnonzero(page_of == i)
        out[rows] = neighbour_features(scores[rows])
    return out


def out_of_fold(X, y, groups):
    """Each block's score by a model trained on the other sites (5 site-grouped folds)."""
    oof = np.zeros(len(y))
    for k, (tr, te) in enumerate(GroupKFold(n_splits=5).split(X, y, groups)):
        m = HistGradientBoostingClassifier(**PARAMS).fit(X[tr], y[tr])
        oof[te] = m.predict_proba(X[te])[:, 1]
        print(f"fold {k}", file=sys.stderr)
    return oof


def cross_validate(pages, names, X, y, groups, page_of):
    oof = out_of_fold(X, y, groups)
    acc = ((oof >= 0.5) == y).mean()
    print(f"block accuracy (out of fold) {acc:.4f}; positives {y.mean():.3f}")
    rows = defaultdict(lambda: defaultdict(list))
    for i, p in enumerate(pages):
        scores = oof[page_of == i]
        for key in (("gold", p["page_type"]), ("pred", p["predicted"])):
            rows[key]["current"].append(word_f1(p["expected"], p["body"]))
            for t in THRESHOLDS:
                body = "\n\n".join(b["text"] for b, s in zip(p["blocks"], scores) if s >= t)
                rows[key][t].append(word_f1(p["expected"], body))
            for rule in RULES:
                body = "\n\n".join(
                    b["text"]
                    for b, s in zip(p["blocks"], scores)
                    if s >= rule_threshold(b, names, rule)
                )
                rows[key][rule].append(word_f1(p["expected"], body or p["body"]))
    print("word F1 on tuning (out of fold): current body vs blocks at thresholds", THRESHOLDS)
    for key in sorted(rows):
        r = rows[key]
        figs = " ".join(f"{np.mean(r[t]):.4f}" for t in THRESHOLDS)
        print(
            f"{key[0]:4} {key[1]:14} n={len(r['current']):4} current {np.mean(r['current']):.4f}"
            f" blocks {figs} " + " ".join(f"{rule} {np.mean(r[rule]):.4f}" for rule in RULES)
        )
    return oof


def main():
    out, corpus_dir, dump = sys.argv[1:4]
    names, pages = load(corpus_dir, dump)
    label_of = labels_aligned if "--align" in sys.argv else labels
    X, y, groups, page_of = block_matrix(pages, label_of)
    print(f"{len(pages)} pages, {len(y)} blocks", file=sys.stderr)
    if "--cv" in sys.argv:
        cross_validate(pages, names, X, y, groups, page_of)
    model = HistGradientBoostingClassifier(**PARAMS).fit(X, y)
    exported = export(model, names)
    if "--stage2" in sys.argv:
        # The second stage learns from out-of-fold first-stage scores: at
        # inference the first stage scores pages it has not seen.
        X2 = neighbour_matrix(out_of_fold(X, y, groups), page_of).astype(np.float32)
        stage2 = export(HistGradientBoostingClassifier(**STAGE2_PARAMS).fit(X2, y), NEIGHBOUR_NAMES)
        del stage2["kind"]
        exported["stage2"] = stage2
    with open(out, "w", encoding="utf-8") as f:
        json.dump(exported, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
