#!/usr/bin/env python3
"""Reads a crawl's WARC files with warcio and its Parquet parts with pyarrow.

    target/py-tools/bin/python scripts/check_crawl_outputs.py target/debug/newscrawl

Serves the fixture pages (fixtures/*/page.html, our own pages) from a loopback
HTTP server and crawls them twice with the same arguments but the output:
once to JSONL, once to Parquet part files (`--format parquet --out DIR`),
each with `--warc DIR`. Then, with independent readers:

- warcio (`warcio check` and its ArchiveIterator) reads every WARC file to its
  end: block and payload digests verified, a warcinfo record first in each
  file, one response record per request the server answered, each with its
  request record (WARC-Concurrent-To), and a 200 response for every article;
- pyarrow reads the parts: one column per record field, and the rows equal
  the JSONL records of the other run, field for field, except `fetched_at`
  (the time of each run's fetch).
"""

import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pyarrow.parquet as pq
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parents[1]


class Site:
    """The fixture pages at article-like paths (/2024/05/01/<name>/), a
    listing at /, counting requests."""

    def __init__(self, root: Path):
        pages = sorted(p.parent.name for p in (ROOT / "fixtures").glob("*/page.html"))
        for name in pages:
            (root / "2024/05/01" / name).mkdir(parents=True)
            shutil.copy(ROOT / "fixtures" / name / "page.html", root / "2024/05/01" / name / "index.html")
        links = "".join(f'<li><a href="/2024/05/01/{n}/">{n}</a></li>' for n in pages)
        (root / "index.html").write_text(f"<html><head><title>Index</title></head><body><ul>{links}</ul></body></html>")
        self.requests = 0
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(root), **kw)

            def send_response(self, *a, **kw):
                site.requests += 1
                super().send_response(*a, **kw)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"


def crawl(binary, site, tmp: Path, name, out_args):
    """One crawl run; returns the number of requests the server answered."""
    before = site.requests
    subprocess.run(
        [binary, "crawl", "--seed", site.url, "--rate", "100", "--max-depth", "1", "--state", str(tmp / f"{name}.db"),
         "--warc", str(tmp / f"{name}-warc"), *out_args],
        check=True,
    )
    return site.requests - before


def check_warc(binary_dir: Path, served: int, articles):
    files = sorted(binary_dir.glob("*.warc.gz"))
    assert files, f"no WARC file in {binary_dir}"
    responses, requests, ok = {}, {}, set()
    for f in files:
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(f)], check=True)
        with open(f, "rb") as stream:
            records = list_records(stream)
        assert records and records[0][0] == "warcinfo", f"{f}: warcinfo first"
        assert all(r[0] != "warcinfo" for r in records[1:]), f"{f}: one warcinfo"
        for kind, rid, uri, concurrent, status in records[1:]:
            if kind == "response":
                responses[rid] = uri
                if status == "200":
                    ok.add(uri)
            elif kind == "request":
                requests[concurrent] = uri
    assert len(responses) == served, f"{len(responses)} responses for {served} requests served"
    assert requests == responses, "every response has its request"
    missing = set(articles) - ok
    assert not missing, f"articles without a 200 response: {missing}"
    return len(files), len(responses)


def list_records(stream):
    out = []
    for r in ArchiveIterator(stream, check_digests="raise"):
        h = r.rec_headers
        status = r.http_headers.get_statuscode() if r.http_headers else None
        r.content_stream().read()
        out.append((r.rec_type, h.get_header("WARC-Record-ID"), h.get_header("WARC-Target-URI"),
                    h.get_header("WARC-Concurrent-To"), status))
    return out


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = Site(tmp / "site")
        served_json = crawl(binary, site, tmp, "json", ["--out", str(tmp / "run.jsonl")])
        served_parquet = crawl(binary, site, tmp, "parquet", ["--format", "parquet", "--out", str(tmp / "parts")])
        records = [json.loads(line) for line in (tmp / "run.jsonl").read_text().splitlines()]
        parts = sorted((tmp / "parts").glob("part-*.parquet"))
        others = [p.name for p in (tmp / "parts").iterdir() if not p.name.startswith("part-")]
        assert parts and not others, (parts, others)
        table = pq.read_table(parts)
        assert table.column_names == list(records[0].keys()), table.column_names

        def comparable(rows):
            return sorted(({k: v for k, v in r.items() if k != "fetched_at"} for r in rows), key=lambda r: r["url"])

        rows = table.to_pylist()
        assert len(rows) == len(records) > 0, (len(rows), len(records))
        for row, record in zip(comparable(rows), comparable(records)):
            assert row == record, f"row differs:\n{row}\n{record}"
        urls = [r["url"] for r in records]
        warc_json = check_warc(tmp / "json-warc", served_json, urls)
        warc_parquet = check_warc(tmp / "parquet-warc", served_parquet, urls)
        site.server.shutdown()
    print(f"check_crawl_outputs: {len(rows)} Parquet rows in {len(parts)} part(s) equal the JSONL records; "
          f"warcio read {warc_json[0] + warc_parquet[0]} WARC file(s), {warc_json[1] + warc_parquet[1]} responses "
          f"for {served_json + served_parquet} requests served, digests verified")


if __name__ == "__main__":
    main()
