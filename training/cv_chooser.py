#!/usr/bin/env python3
"""Out-of-fold estimate of a chooser among a doubtful page's extractions
(training/README.md, "Choosing by the output").

    OMP_NUM_THREADS=1 python3 training/cv_chooser.py WCXB.jsonl [OTHER.jsonl ...]

WCXB.jsonl is `dump_candidates` of wcxb-dev's tuning part: each page
extracted as `extract` chooses ("chosen") and as each page type, with the
output features and word F1 of each. A page is doubtful when its article
probability is below 0.5 and its generic body is not connected prose
(today's rule re-types only those). For each doubtful page and each
candidate extraction other than today's, a model predicts whether the
candidate beats today's body; the page takes the candidate of highest
probability when it reaches the threshold, else today's body. Five folds
grouped by site (GroupKFold: deterministic); figures are mean word F1 over
ALL tuning pages (the others keep today's body) and over the doubtful ones.
OTHER.jsonl (generic's or publishers' tuning dumps) are scored by a model
trained on all of WCXB.jsonl: pages changed and mean F1 before -> after.

    OMP_NUM_THREADS=1 python3 training/cv_chooser.py --oof PF_WCXB.jsonl PF_PUB.jsonl WCXB.jsonl

does the same with the classifier out of fold too: PF_*.jsonl are
`dump_page_features` of wcxb-dev's and publishers' tuning parts; in each
of the same site-grouped folds the page-type model (train_page_type.py's
C=0.3) is trained on the other folds' wcxb-dev pages and all publishers
pages, the utility matrix on the other folds' forced F1s, and today's
rule is emulated with them (the type `extract` would extract the page as,
taken from the forced extractions). A dump made with `--bodies` adds
features of each candidate's text (text_features, and the word overlap
with today's body).
"""
import json
import sys

import os

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_page_type import Standardised  # noqa: E402
from train_page_type import load as load_features  # noqa: E402

TYPES = ["article", "listing", "forum", "product", "collection", "documentation", "service"]


def load(path):
    pages = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if "names" in e:
                continue
            e["cand"] = {c["as"]: c for c in e["candidates"]}
            pages.append(e)
    return pages


def doubtful(e):
    return e["p"]["article"] < 0.5 and not e["prose_article"]


def candidate_types(e, which):
    """The candidates of a page besides today's body, by candidate set."""
    classified = max(TYPES, key=lambda t: e["p"][t])
    best = max(TYPES, key=lambda t: e["expected"][t])
    if which == "all":
        return list(TYPES)
    if which == "three":
        return sorted({classified, best, "article"}, key=TYPES.index)
    sys.exit(f"unknown candidate set {which}")


NAV = {
    "home", "login", "log in", "sign in", "sign up", "register", "contact", "contact us",
    "about", "about us", "privacy", "privacy policy", "terms", "cookies", "search", "menu",
    "subscribe", "newsletter", "share", "facebook", "twitter", "instagram", "linkedin",
    "youtube", "next", "previous", "read more", "more", "back to top", "skip to content",
}


def text_features(body):
    """Features of the output's text (dumps with `--bodies`): repeated
    paragraphs, navigation vocabulary, sentence-like paragraphs, digits,
    distinct words, the longest paragraphs."""
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    n = max(len(paras), 1)
    counts = {}
    for p in paras:
        counts[p] = counts.get(p, 0) + 1
    words = body.lower().split()
    w = max(len(words), 1)
    sentence_words = sum(len(p.split()) for p in paras if p[-1] in ".!?:;\"”")
    longest = sorted((len(p.split()) for p in paras), reverse=True)[:3]
    return [
        sum(1 for p in paras if counts[p] > 1) / n,
        sum(1 for p in paras if p.lower().strip(" .:|»›") in NAV) / n,
        sentence_words / w,
        sum(ch.isdigit() for ch in body) / max(len(body), 1),
        len(set(words)) / w,
        float(np.log1p(np.mean(longest))) if longest else 0.0,
    ]


def jaccard(a, b):
    a, b = set(a.lower().split()), set(b.lower().split())
    return len(a & b) / len(a | b) if a | b else 1.0


def pair_features(e, t):
    c = e["cand"][t]["features"]
    now = e["cand"]["chosen"]["features"]
    if "body" in e["cand"][t]:
        tc = text_features(e["cand"][t]["body"])
        tn = text_features(e["cand"]["chosen"]["body"])
        c = c + tc + [jaccard(e["cand"][t]["body"], e["cand"]["chosen"]["body"])]
        now = now + tn + [1.0]
    best = max(e["expected"].values())
    onehot = [float(t == u) for u in TYPES]
    return (
        c
        + [a - b for a, b in zip(c, now)]
        + [e["p"][t], e["expected"][t] - best, e["p"]["article"], float(c == now)]
        + onehot
    )


def rows(pages, which, margin):
    X, y, gain, owner, types = [], [], [], [], []
    for i, e in enumerate(pages):
        if not doubtful(e):
            continue
        now = e["cand"]["chosen"]["f1"]
        for t in candidate_types(e, which):
            X.append(pair_features(e, t))
            g = e["cand"][t]["f1"] - now
            y.append(int(g > margin))
            gain.append(g)
            owner.append(i)
            types.append(t)
    return np.array(X, dtype=float), np.array(y), np.array(gain), np.array(owner), types


def model_of(name):
    if name.startswith("logit"):
        c = float(name.split("=")[1])
        return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))
    if name.startswith("trees"):
        n, d = map(int, name.split("=")[1].split("x"))
        return HistGradientBoostingClassifier(
            max_iter=n, max_depth=d, learning_rate=0.1, min_samples_leaf=20, random_state=0
        )
    sys.exit(f"unknown model {name}")


def regressor_of(name):
    if name.startswith("ridge"):
        return make_pipeline(StandardScaler(), Ridge(alpha=float(name.split("=")[1])))
    n, d = map(int, name.split("=")[1].split("x"))
    return HistGradientBoostingRegressor(
        max_iter=n, max_depth=d, learning_rate=0.1, min_samples_leaf=20, random_state=0
    )


def regression(wcxb, groups_site):
    """The gain over today's body regressed, the largest predicted gain
    taken when above a margin."""
    print("candidates regressor | predicted gain above: all / doubtful (pages changed)")
    for which in ["three", "all"]:
        X, _, gain, owner, types = rows(wcxb, which, 0.0)
        groups = np.array([groups_site[i] for i in owner])
        for name in ["ridge=10", "ridge=100", "rtrees=50x2", "rtrees=100x3"]:
            pred = np.zeros(len(gain))
            for train, test in GroupKFold(n_splits=5).split(X, gain, groups):
                pred[test] = regressor_of(name).fit(X[train], gain[train]).predict(X[test])
            out = []
            for m in [0.0, 0.01, 0.02, 0.05, 0.1]:
                picks = choose(wcxb, owner, types, pred, m if m > 0 else 1e-9)
                a, d = score(wcxb, picks)
                out.append(f"{m}: {a:.4f} / {d:.4f} ({len(picks)})")
            print(f"{which:5} {name:12} | " + " | ".join(out))


def choose(pages, owner, types, prob, threshold):
    """Per page index, the candidate taken (None: today's body)."""
    best = {}
    for i, t, p in zip(owner, types, prob):
        if p >= threshold and (i not in best or p > best[i][1]):
            best[i] = (t, p)
    return {i: t for i, (t, _) in best.items()}


def score(pages, picks):
    f1 = [e["cand"][picks[i]]["f1"] if i in picks else e["cand"]["chosen"]["f1"] for i, e in enumerate(pages)]
    d = [f for f, e in zip(f1, pages) if doubtful(e)]
    return float(np.mean(f1)), float(np.mean(d)) if d else float("nan")


def today_type(p, expected, generic_prose):
    """The type today's rule extracts a page as, from the classes'
    probabilities and the types' expected F1 (src/extract/mod.rs)."""
    classified = max(TYPES, key=lambda t: p[t])
    conf = p[classified]
    blocks = classified in ("listing", "collection", "service") or (
        classified == "documentation" and conf >= 0.75
    )
    current = classified if conf >= 0.75 or blocks else "article"
    if p["article"] >= 0.5 or (current == "article" and generic_prose):
        return current
    best = max(TYPES, key=lambda t: expected[t])
    return best if expected[best] - expected[current] > 0.01 else current


def out_of_fold(wcxb, pf_wcxb, pf_pub):
    """The pages with the classifier's probabilities, the expected F1s and
    today's body (the forced extraction of today's type) out of fold."""
    _, Xw, yw, ids = load_features([pf_wcxb], with_ids=True)
    _, Xp, yp = load_features([pf_pub])
    row = {i: k for k, (_, i) in enumerate(ids)}
    order = [row[e["id"]] for e in wcxb]
    Xw, yw = Xw[order], yw[order]
    emulated = sum(
        e["cand"][today_type(e["p"], e["expected"], e["generic_prose"])]["f1"] for e in wcxb
    ) / len(wcxb)
    print(f"today's rule emulated from the forced extractions, shipped classifier: {emulated:.4f}")
    sites = [e["site"] for e in wcxb]
    out = [None] * len(wcxb)
    for train, test in GroupKFold(n_splits=5).split(Xw, yw, sites):
        m = Standardised(0.3, False).fit(np.vstack([Xw[train], Xp]), np.concatenate([yw[train], yp]))
        classes = list(m.lr.classes_)
        prob = m.lr.predict_proba((Xw[test] - m.mean) / m.scale)
        utility = {
            g: {t: float(np.mean([wcxb[i]["cand"][t]["f1"] for i in train if wcxb[i]["gold"] == g])) for t in TYPES}
            for g in TYPES
        }
        for i, pr in zip(test, prob):
            e = dict(wcxb[i])
            e["p"] = {t: float(pr[classes.index(t)]) for t in TYPES}
            e["expected"] = {t: sum(e["p"][g] * utility[g][t] for g in TYPES) for t in TYPES}
            cur = today_type(e["p"], e["expected"], e["generic_prose"])
            classified = max(TYPES, key=lambda t: e["p"][t])
            conf = e["p"][classified]
            now = classified if conf >= 0.75 or classified in ("listing", "collection", "service") else "article"
            e["prose_article"] = now == "article" and e["generic_prose"]
            e["cand"] = dict(e["cand"])
            e["cand"]["chosen"] = e["cand"][cur]
            out[i] = e
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--oof":
        wcxb = out_of_fold(load(sys.argv[4]), sys.argv[2], sys.argv[3])
        sys.argv[1:] = sys.argv[4:5]
    else:
        wcxb = load(sys.argv[1])
    n_doubt = sum(map(doubtful, wcxb))
    print(f"wcxb-dev tuning: {len(wcxb)} pages, {n_doubt} doubtful")
    today = score(wcxb, {})
    print(f"today's rule: all {today[0]:.4f}, doubtful {today[1]:.4f}")
    for which in ["three", "all"]:
        oracle = {}
        for i, e in enumerate(wcxb):
            if doubtful(e):
                t = max(candidate_types(e, which), key=lambda t: e["cand"][t]["f1"])
                if e["cand"][t]["f1"] > e["cand"]["chosen"]["f1"]:
                    oracle[i] = t
        o = score(wcxb, oracle)
        print(f"oracle among {which}: all {o[0]:.4f}, doubtful {o[1]:.4f}")
    groups_site = [e["site"] for e in wcxb]
    configs = [
        (which, margin, name)
        for which in ["three", "all"]
        for margin in [0.0, 0.02, 0.05]
        for name in ["logit=0.1", "logit=1", "trees=50x2", "trees=100x3"]
    ]
    print("candidates margin model | threshold: all / doubtful (pages changed)")
    for which, margin, name in configs:
        X, y, gain, owner, types = rows(wcxb, which, margin)
        prob = np.zeros(len(y))
        groups = np.array([groups_site[i] for i in owner])
        for train, test in GroupKFold(n_splits=5).split(X, y, groups):
            if y[train].min() == y[train].max():
                continue
            m = model_of(name).fit(X[train], y[train])
            prob[test] = m.predict_proba(X[test])[:, 1]
        out = []
        for threshold in [0.5, 0.6, 0.7, 0.8]:
            picks = choose(wcxb, owner, types, prob, threshold)
            a, d = score(wcxb, picks)
            out.append(f"{threshold}: {a:.4f} / {d:.4f} ({len(picks)})")
        print(f"{which:5} {margin:.2f} {name:12} | " + " | ".join(out))
    regression(wcxb, groups_site)
    for path in sys.argv[2:]:
        other = load(path)
        print(f"{path}: {len(other)} pages, {sum(map(doubtful, other))} doubtful, today {score(other, {})[0]:.4f}")
        for which, margin, name in configs:
            X, y, _, _, _ = rows(wcxb, which, margin)
            m = model_of(name).fit(X, y)
            Xo, _, _, owner, types = rows(other, which, margin)
            if len(Xo) == 0:
                continue
            prob = m.predict_proba(Xo)[:, 1]
            out = []
            for threshold in [0.5, 0.6, 0.7, 0.8]:
                picks = choose(other, owner, types, prob, threshold)
                out.append(f"{threshold}: {score(other, picks)[0]:.4f} ({len(picks)})")
            print(f"  {which:5} {margin:.2f} {name:12} | " + " | ".join(out))


if __name__ == "__main__":
    main()
