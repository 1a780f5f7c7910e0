#!/usr/bin/env python3
"""Adds the utility matrix to the page-type model: utility[g][t] is the
mean word F1 of wcxb-dev's TUNING pages of gold type g when extracted as
type t. Measured, not shipped: with it (commit abee54d, reverted),
`extract` extracted a likely non-article as the type of highest expected
word F1 under the classifier's probabilities (training/README.md,
"Extraction type").

    python3 training/utility_page_type.py corpus CORPUS OUT_DIR
        writes OUT_DIR/<type>/index.jsonl: CORPUS with every page given
        that type (its HTML read where it lies), for
        `eval --oracle-page-type`;
    python3 training/utility_page_type.py matrix MODEL.json CORPUS PER_PAGE_DIR
        reads PER_PAGE_DIR/<type>.txt (`eval --part tuning --per-page
        --oracle-page-type` of each forced corpus) and CORPUS's gold types,
        and writes the matrix into MODEL.json (numbers rounded to 6
        decimals: deterministic).
"""
import json
import os
import re
import sys

TYPES = ["article", "listing", "forum", "product", "collection", "documentation", "service"]
LINE = re.compile(r"\s*([\d.]+)\s+(\S+)\s+tuning\s")


def make_corpora(corpus, out):
    for t in TYPES:
        d = os.path.join(out, t)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(corpus, "index.jsonl"), encoding="utf-8") as f, open(
            os.path.join(d, "index.jsonl"), "w", encoding="utf-8"
        ) as o:
            for line in f:
                e = json.loads(line)
                e["page_type"] = t
                e["html"] = os.path.abspath(os.path.join(corpus, e["html"]))
                o.write(json.dumps(e, ensure_ascii=False) + "\n")


def per_page(path):
    with open(path, encoding="utf-8") as f:
        return {m.group(2): float(m.group(1)) for m in map(LINE.match, f) if m}


def matrix(model_path, corpus, pages_dir):
    with open(model_path, encoding="utf-8") as f:
        model = json.load(f)
    gold = {}
    with open(os.path.join(corpus, "index.jsonl"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            gold[e["id"]] = e.get("page_type")
    f1 = {t: per_page(os.path.join(pages_dir, f"{t}.txt")) for t in TYPES}
    ids = sorted(f1["article"])
    if not ids or any(sorted(f1[t]) != ids for t in TYPES):
        sys.exit("the per-page files do not score the same tuning pages")
    classes = model["classes"]
    utility = []
    for g in classes:
        rows = [i for i in ids if gold.get(i) == g]
        if not rows:
            sys.exit(f"no tuning page of type {g}")
        utility.append([round(sum(f1[t][i] for i in rows) / len(rows), 6) for t in classes])
        print(g.ljust(14), len(rows), " ".join(f"{v:.3f}" for v in utility[-1]))
    model["utility"] = utility
    with open(model_path, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=1, sort_keys=False)
        f.write("\n")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "corpus":
        make_corpora(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "matrix":
        matrix(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
