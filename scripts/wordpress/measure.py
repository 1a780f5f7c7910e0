#!/usr/bin/env python3
"""Crawl the loopback WordPress site with a newscrawl binary and say how it did.

Three runs on one state file, as cron would make them: the 60-post site from
its home page, the same site unchanged, then the site after 3 new posts. For
each run: requests (counted in nginx's access log, by kind) and records
written; for the records: posts written as articles (and which were missed),
authors, titles, dates, languages and body cleanliness (READ / "Leggi anche"
paragraphs, share bar, comment form, comments, post meta leaking into bodies)
against the site's manifest, which fill.php writes from WordPress itself.

    sudo scripts/wordpress/wp-site start
    sudo scripts/wordpress/measure.py --bin target/release/newscrawl

Needs root only for `wp-site reset` / `add-posts` (skip them with
--no-reset). Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, HERE)
from checks import body_f1, leaks  # noqa: E402

LOG_LINE = re.compile(r'^(\S+) \[([^\]]+)\] "(\S+) (.*?)" (\d{3}) (\d+) "(.*)"$')
POST_PATH = re.compile(r"^/\d{4}/\d{2}/\d{2}/[^/]+/$")
POST_FEED = re.compile(r"^/\d{4}/\d{2}/\d{2}/[^/]+/feed/(?:\w+/)?$")
DATE_ARCHIVE = re.compile(r"^/\d{4}/(?:\d{2}/(?:\d{2}/)?)?$")


def request_kind(target):
    """What a request asked for, from its path and query."""
    parts = urlsplit(target)
    path, query = parts.path, parse_qs(parts.query)
    if "replytocom" in query:
        return "replytocom"
    if "share" in query:
        return "share"
    if path == "/robots.txt":
        return "robots.txt"
    if path.startswith("/wp-sitemap"):
        return "sitemap"
    if path in ("/feed/", "/feed/rss2/", "/feed/atom/", "/feed/rdf/", "/feed/rss/"):
        return "feed: main"
    if path.startswith("/comments/feed/"):
        return "feed: site comments"
    if POST_FEED.match(path):
        return "feed: a post's comments"
    for kind in ("category", "tag", "author"):
        if path.startswith(f"/{kind}/") and "/feed/" in path:
            return f"feed: {kind}"
    if "/feed/" in path or "feed" in query:
        return "feed: other"
    if "p" in query:
        return "shortlink ?p="
    if path.startswith("/wp-json/"):
        return "wp-json (REST, oEmbed)"
    if POST_PATH.match(path):
        return "post" if not parts.query else "post with other query"
    if "/page/" in path:
        return "listing: next pages"
    for kind in ("category", "tag", "author"):
        if path.startswith(f"/{kind}/"):
            return f"listing: {kind}"
    if DATE_ARCHIVE.match(path):
        return "listing: date archive"
    if path == "/":
        return "home"
    if path.startswith(("/wp-content/", "/wp-includes/")):
        return "static file"
    if re.fullmatch(r"/[^/]+/", path):
        return "page"
    return "other"


def read_requests(log_path, offset):
    """Requests by newscrawl in the access log after byte `offset`."""
    out = []
    with open(log_path, "rb") as f:
        f.seek(offset)
        for raw in f:
            m = LOG_LINE.match(raw.decode("utf-8", "replace").rstrip("\n"))
            if m and m.group(7).startswith("newscrawl"):
                out.append({"method": m.group(3), "target": m.group(4), "status": int(m.group(5))})
    return out


def log_size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def wp_site(args, *cmd):
    subprocess.run([os.path.join(HERE, "wp-site"), *cmd], check=True, env=wp_env(args))


def wp_env(args):
    env = dict(os.environ)
    env["WP_RUN"] = args.wp_run
    return env


def load_manifest(args):
    with open(os.path.join(args.wp_run, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def crawl(args, work, label):
    """One crawl run; returns its requests, records and summary lines."""
    log = os.path.join(args.wp_run, "access.log")
    out = os.path.join(work, "out.jsonl")
    offset, out_offset = log_size(log), log_size(out)
    cmd = [args.bin, "crawl", "--seed", args.seed, "--rate", str(args.rate),
           "--state", os.path.join(work, "state.db"), "--out", out, *args.crawl_arg]
    started = time.monotonic()
    with open(os.path.join(work, f"{label}.stderr"), "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        try:
            status = proc.wait(timeout=args.run_timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            status = f"killed after {args.run_timeout}s: {proc.wait()}"
    seconds = time.monotonic() - started
    time.sleep(0.2)  # nginx writes its log line after the response
    records = []
    with open(out, "rb") as f:
        f.seek(out_offset)
        for line in f:
            records.append(json.loads(line))
    with open(os.path.join(work, f"{label}.stderr"), encoding="utf-8", errors="replace") as f:
        summary = [l.rstrip() for l in f.readlines()[-12:]]
    return {"label": label, "status": status, "seconds": round(seconds, 1),
            "requests": read_requests(log, offset), "records": records, "summary": summary}


def same_time(a, b):
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(b)
    except (AttributeError, ValueError):
        return False


def fold_quotes(s):
    return (s or "").translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"}))


def judge_records(records, manifest):
    """Compares the records with the posts they are about."""
    posts = {p["url"]: p for p in manifest["posts"]}
    result = {"written": [], "not_posts": [], "duplicates": 0, "authors_ok": 0, "authors_empty": 0,
              "titles_exact": 0, "titles_folded": 0, "published_ok": 0, "language_ok": 0,
              "leaks": Counter(), "records_with_leaks": 0, "f1": [], "bad": []}
    seen = set()
    for r in records:
        post = posts.get(r["url"])
        if post is None:
            result["not_posts"].append(r["url"])
            continue
        if post["url"] in seen:
            result["duplicates"] += 1
            continue
        seen.add(post["url"])
        result["written"].append(post["url"])
        result["authors_ok"] += r.get("authors") == post["authors"]
        result["authors_empty"] += not r.get("authors")
        result["titles_exact"] += r.get("title") == post["title"]
        result["titles_folded"] += fold_quotes(r.get("title")) == fold_quotes(post["title"])
        result["published_ok"] += same_time(r.get("published"), post["published"])
        result["language_ok"] += r.get("language") == post["language"]
        found = leaks(r.get("body", ""), post, manifest)
        result["leaks"].update(found)
        result["records_with_leaks"] += bool(found)
        f1 = body_f1(r.get("body", ""), post["body"])
        result["f1"].append(f1)
        if found or f1 < 0.95 or fold_quotes(r.get("title")) != fold_quotes(post["title"]):
            result["bad"].append({"url": post["url"], "leaks": sorted(found), "f1": round(f1, 3),
                                  "title": r.get("title"), "want_title": post["title"]})
    return result


def print_run(run):
    kinds = Counter(request_kind(q["target"]) for q in run["requests"])
    statuses = Counter(q["status"] for q in run["requests"])
    print(f"\n== {run['label']}: exit {run['status']}, {run['seconds']} s, "
          f"{len(run['requests'])} requests, {len(run['records'])} records written")
    print("   requests by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    print("   statuses: " + ", ".join(f"{k} {n}" for k, n in sorted(statuses.items())))
    for line in run["summary"]:
        if line.strip():
            print(f"   | {line}")
    return kinds


def print_records(title, judged, posts):
    n = len(judged["written"])
    print(f"\n{title}")
    print(f"   posts written as articles: {n} of {len(posts)}")
    missed = [p for p in posts if p["url"] not in set(judged["written"])]
    for p in missed:
        kind = "short" if p["short"] else "normal"
        print(f"     missed #{p['index']}: {p['words']} words ({kind}, {p['language']}) {p['url']}")
    if judged["not_posts"]:
        print(f"   records that are not posts: {len(judged['not_posts'])}")
        for u in judged["not_posts"][:10]:
            print(f"     {u}")
    if judged["duplicates"]:
        print(f"   second records of one post: {judged['duplicates']}")
    if n:
        f1 = judged["f1"]
        print(f"   authors right: {judged['authors_ok']} of {n} (empty: {judged['authors_empty']})")
        print(f"   titles exact: {judged['titles_exact']} of {n} (same but for quote style: {judged['titles_folded']})")
        print(f"   published right: {judged['published_ok']} of {n}; language right: {judged['language_ok']} of {n}")
        print(f"   bodies with boilerplate: {judged['records_with_leaks']} of {n}"
              + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(judged["leaks"].items())) + ")" if judged["leaks"] else ""))
        print(f"   body word F1 against the human body: mean {sum(f1) / n:.3f}, min {min(f1):.3f}")
        for b in judged["bad"][:8]:
            print(f"     {b['url']}: F1 {b['f1']}, leaks {b['leaks'] or '-'}"
                  + ("" if fold_quotes(b["title"]) == fold_quotes(b["want_title"]) else f", title {b['title']!r}"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the newscrawl binary to measure")
    ap.add_argument("--seed", default=None, help="default: the site's home page")
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--wp-run", default=os.environ.get("WP_RUN", "/var/tmp/newscrawl-wp"))
    ap.add_argument("--work", help="keep state, output and logs here (default: a temporary folder)")
    ap.add_argument("--no-reset", action="store_true", help="measure the site as it is, add no posts")
    ap.add_argument("--run-timeout", type=int, default=600, help="seconds before a run is stopped")
    ap.add_argument("--crawl-arg", action="append", default=[], help="extra argument for crawl (repeatable)")
    ap.add_argument("--json", help="write the figures here as JSON too")
    gates = ap.add_argument_group("gates (exit 1 when one is not met; none by default)")
    gates.add_argument("--min-written", type=int, help="run 1: posts written as articles, at least")
    gates.add_argument("--min-new", type=int, help="run 3: new posts written, at least")
    gates.add_argument("--min-authors", type=int, help="run 1: records with the right authors, at least")
    gates.add_argument("--max-requests", type=int, help="run 1: requests, at most")
    gates.add_argument("--max-rerun-requests", type=int, help="run 2 (unchanged site): requests, at most")
    gates.add_argument("--max-leaky", type=int, help="runs 1 and 3: bodies with boilerplate, at most")
    gates.add_argument("--min-f1", type=float, help="run 1: mean body word F1, at least")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"measure.py: {args.bin}: not an executable")
    if not args.no_reset:
        wp_site(args, "reset")
    manifest = load_manifest(args)
    args.seed = args.seed or manifest["home"]
    work = args.work or tempfile.mkdtemp(prefix="newscrawl-wp-measure-")
    os.makedirs(work, exist_ok=True)
    for name in ("state.db", "state.db-wal", "state.db-shm", "state.db.lock", "out.jsonl"):
        if os.path.exists(os.path.join(work, name)):
            os.remove(os.path.join(work, name))
    open(os.path.join(work, "out.jsonl"), "w").close()

    print(f"site: {manifest['home']} (WordPress {manifest['wordpress']}, theme {manifest['theme']}, "
          f"{len(manifest['posts'])} posts by {len(manifest['authors'])} authors, "
          f"{sum(p['short'] for p in manifest['posts'])} short)")
    print(f"binary: {args.bin} ({subprocess.run([args.bin, '--version'], capture_output=True, text=True).stdout.strip()})")
    print(f"crawl: --seed {args.seed} --rate {args.rate} {' '.join(args.crawl_arg)}; work folder {work}")

    runs, figures = [], {}
    first = crawl(args, work, "run 1 (60 posts)")
    runs.append(first)
    second = crawl(args, work, "run 2 (unchanged)")
    runs.append(second)
    before = {p["url"] for p in manifest["posts"]}
    if not args.no_reset:
        wp_site(args, "add-posts", "3")
        manifest = load_manifest(args)
        runs.append(crawl(args, work, "run 3 (3 new posts)"))
    for run in runs:
        kinds = print_run(run)
        figures[run["label"]] = {"requests": len(run["requests"]), "kinds": dict(kinds),
                                 "records": len(run["records"]), "seconds": run["seconds"]}

    old_posts = [p for p in manifest["posts"] if p["url"] in before]
    judged = judge_records(first["records"], manifest)
    print_records("== records of run 1", judged, old_posts)
    figures["run 1 records"] = {k: (v if not isinstance(v, Counter) else dict(v)) for k, v in judged.items() if k != "bad"}
    if len(runs) == 3:
        new_posts = [p for p in manifest["posts"] if p["url"] not in before]
        judged3 = judge_records(runs[2]["records"], manifest)
        print_records("== records of run 3 (new posts)", judged3, new_posts)
        figures["run 3 records"] = {k: (v if not isinstance(v, Counter) else dict(v)) for k, v in judged3.items() if k != "bad"}
    if second["records"]:
        print(f"\n!! run 2 wrote {len(second['records'])} records on an unchanged site")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=1, ensure_ascii=False)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    failed = check_gates(args, runs, judged, judged3 if len(runs) == 3 else None)
    for line in failed:
        print(f"gate failed: {line}")
    print(f"\n{len(failed)} gates failed" if failed else "\nall gates met")
    sys.exit(1 if failed else 0)


def check_gates(args, runs, judged, judged3):
    """The gates asked for on the command line that the figures miss."""
    failed = [f"{r['label']} exited {r['status']}" for r in runs if r["status"] != 0]
    f1 = judged["f1"]
    checks = [
        (args.min_written, len(judged["written"]), "run 1 posts written", 1),
        (args.min_new, len(judged3["written"]) if judged3 else None, "run 3 new posts written", 1),
        (args.min_authors, judged["authors_ok"], "run 1 records with the right authors", 1),
        (args.max_requests, len(runs[0]["requests"]), "run 1 requests", -1),
        (args.max_rerun_requests, len(runs[1]["requests"]), "run 2 requests", -1),
        (args.max_leaky, judged["records_with_leaks"] + (judged3["records_with_leaks"] if judged3 else 0),
         "bodies with boilerplate", -1),
        (args.min_f1, sum(f1) / len(f1) if f1 else 0.0, "run 1 mean body F1", 1),
    ]
    for limit, value, what, sign in checks:
        if limit is None:
            continue
        if value is None:
            failed.append(f"{what}: not measured (--no-reset)")
        elif (value - limit) * sign < 0:
            failed.append(f"{what}: {value:g} {'below' if sign > 0 else 'above'} {limit:g}")
    return failed


if __name__ == "__main__":
    main()
