"""Chooses the block model's thresholds per page type, out of fold.

    python training/cv_block_thresholds.py CORPUS_DIR DUMP.jsonl

Same data, labels and 5 folds grouped by site as `train_blocks.py --align
--cv` (wcxb-dev's TUNING part only). Every block gets its out-of-fold
score; then, for each page type the block model extracts (by the
classifier's predicted type, as `extract` applies it, documentation only
from confidence 0.75), every triple of thresholds (typed extractor found
nothing / block inside the typed body / block outside it) in the grid is
scored: the mean word F1 of the bodies it makes (an empty body falls back
to the page's current body, as `extract` falls back to the rules). It
prints the shipped rule's figure and the best triples per type.
"""

import sys
from collections import Counter, defaultdict
from itertools import product


from train_blocks import block_matrix, counts_f1, labels_aligned, load, out_of_fold, tokens

GRID = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
SHIPPED = (0.3, 0.2, 0.45)
TYPES = ("listing", "collection", "service", "documentation")
MIN_CONFIDENCE = 0.75


def main():
    corpus_dir, dump = sys.argv[1:3]
    names, pages = load(corpus_dir, dump)
    X, y, groups, page_of = block_matrix(pages, labels_aligned)
    oof = out_of_fold(X, y, groups)
    empty_i, inside_i = names.index("typed_empty"), names.index("in_typed")
    by_type = defaultdict(list)
    for i, p in enumerate(pages):
        t = p["predicted"]
        if t not in TYPES or (t == "documentation" and p["confidence"] < MIN_CONFIDENCE):
            continue
        blocks = []
        for b, s in zip(p["blocks"], oof[page_of == i]):
            f = b["features"]
            where = 0 if f[empty_i] > 0.5 else (1 if f[inside_i] >= 0.5 else 2)
            blocks.append((where, s, Counter(tokens(b["text"]))))
        by_type[t].append((Counter(tokens(p["expected"])), Counter(tokens(p["body"])), blocks))

    def score(group, triple):
        total = 0.0
        for expected, current, blocks in group:
            body = Counter()
            for where, s, words in blocks:
                if s >= triple[where]:
                    body.update(words)
            total += counts_f1(expected, body if body else current)
        return total / len(group)

    for t in TYPES:
        group = by_type[t]
        # Only the thresholds of the block categories the type's pages have matter.
        results = sorted(((score(group, tr), tr) for tr in product(GRID, GRID, GRID)), reverse=True)
        plain = max((score(group, (g, g, g)), g) for g in GRID)
        print(
            f"{t:14} n={len(group):4} shipped {score(group, SHIPPED):.4f}"
            f" best plain {plain[0]:.4f} at {plain[1]}"
            f" best triples " + ", ".join(f"{s:.4f} {tr}" for s, tr in results[:5])
        )


if __name__ == "__main__":
    main()
