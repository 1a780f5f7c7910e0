#!/usr/bin/env python3
"""Builds the WARC fixtures in fixtures/warc/ with warcio, an independent writer.

Pages come from our own fixtures (fixtures/<case>/page.html), stored as
HTTP responses in several ways (plain, chunked + gzip, deflate, a charset
given only in the HTTP header), among records newscrawl must pass over
(warcinfo, request, revisit, metadata, a non-HTML response, a 404).

    python3 -m venv target/py && target/py/bin/pip install -r scripts/requirements.txt
    target/py/bin/python scripts/warc-fixtures/make_fixtures.py

Writes (to fixtures/warc/, or the folder given as the one argument)
pages.warc.gz (one gzip member per record),
plain.warc (uncompressed) and manifest.json, which
lists every record in order with what `newscrawl extract` must make of it.
Record ids are derived from the record's place, so a re-run writes the same
bytes.
"""

import gzip
import json
import re
import sys
import uuid
import zlib
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES / "warc"


def case(name):
    """A fixture page and the URL its expected record was made with."""
    expected = json.loads((FIXTURES / name / "expected.json").read_text())
    return (FIXTURES / name / "page.html").read_bytes(), expected["input_url"]


def chunked(data, sizes):
    """data in chunks of the given sizes, then the rest, HTTP/1.1 chunked."""
    out, pos = b"", 0
    for size in sizes + [len(data)]:
        piece = data[pos : pos + size]
        if piece:
            out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        pos += len(piece)
    return out + b"0\r\n\r\n"


class Archive:
    def __init__(self, path, gzip_members):
        self.path = path
        self.file = open(path, "wb")
        self.writer = WARCWriter(self.file, gzip=gzip_members, warc_version="1.1")
        self.records = []
        self.minute = 0

    def _headers(self, kind):
        n = len(self.records) + 1
        rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{self.path.name}/{n}/{kind}")
        self.minute += 1
        date = f"2024-05-01T10:{self.minute:02d}:00Z"
        return {"WARC-Record-ID": f"<urn:uuid:{rid}>", "WARC-Date": date}, date

    def write(self, record, manifest):
        self.writer.write_record(record)
        self.records.append(manifest)

    def warcinfo(self):
        headers, _ = self._headers("warcinfo")
        rec = self.writer.create_warcinfo_record(
            self.path.name, {"software": "warcio (newscrawl fixtures)", "format": "WARC File Format 1.1"}
        )
        for k, v in headers.items():
            rec.rec_headers.replace_header(k, v)
        self.write(rec, {"type": "warcinfo", "skip": "warcinfo"})

    def response(self, url, status, http_headers, payload, manifest):
        headers, date = self._headers("response")
        http = StatusAndHeaders(status, http_headers, protocol="HTTP/1.1")
        rec = self.writer.create_warc_record(
            url, "response", payload=BytesIO(payload), http_headers=http, warc_headers_dict=headers
        )
        self.write(rec, dict(type="response", url=url, date=date, **manifest))
        return rec

    def request(self, url, response):
        headers, _ = self._headers("request")
        headers["WARC-Concurrent-To"] = response.rec_headers.get_header("WARC-Record-ID")
        path = re.sub(r"^https?://[^/]+", "", url) or "/"
        host = re.match(r"^https?://([^/]+)", url).group(1)
        http = StatusAndHeaders(
            f"GET {path} HTTP/1.1", [("Host", host), ("User-Agent", "fixture")], is_http_request=True
        )
        rec = self.writer.create_warc_record(url, "request", http_headers=http, warc_headers_dict=headers)
        self.write(rec, {"type": "request", "url": url, "skip": "request"})

    def page(self, name, http_headers, payload, manifest=None):
        """A 200 response holding fixture page `name`, and its request."""
        _, url = case(name)
        resp = self.response(
            url, "200 OK", http_headers, payload, manifest or {"page": f"fixtures/{name}/page.html"}
        )
        self.request(url, resp)

    def close(self):
        self.file.close()


def build_pages():
    a = Archive(OUT / "pages.warc.gz", gzip_members=True)
    a.warcinfo()
    utf8 = [("Content-Type", "text/html; charset=utf-8")]

    page, _ = case("it-wordpress-read")
    a.page("it-wordpress-read", utf8 + [("Content-Length", str(len(page)))], page)

    # Compressed, then sent in chunks: both must be undone.
    page, _ = case("it-magazine-theme")
    a.page(
        "it-magazine-theme",
        utf8 + [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
        chunked(gzip.compress(page, mtime=0), [1000, 17]),
    )

    page, _ = case("it-custom-template")
    deflated = zlib.compress(page)
    a.page("it-custom-template", utf8 + [("Content-Encoding", "deflate")], deflated)

    page, _ = case("nested-layout-tables")
    a.page("nested-layout-tables", utf8, page)

    # windows-1252, declared by the page and the header alike.
    page, url = case("windows-1252")
    cp1252 = [("Content-Type", "text/html; charset=windows-1252")]
    a.page("windows-1252", cp1252, page)

    # The same bytes with the page's own declaration removed: only the HTTP
    # header names the charset. The record must still equal the page's.
    stripped = re.sub(rb"<meta charset=\"windows-1252\">", b"", page)
    assert stripped != page, "the fixture's meta charset moved"
    a.page("windows-1252", cp1252, stripped, {"page": "fixtures/windows-1252/page.html", "charset_only_in_http": True})

    # A later capture of an unchanged page: a revisit record, no payload.
    _, url = case("it-wordpress-read")
    headers, date = a._headers("revisit")
    http = StatusAndHeaders("200 OK", utf8, protocol="HTTP/1.1")
    first = a.records[1]
    rec = a.writer.create_revisit_record(
        url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, first["date"], http_headers=http, warc_headers_dict=headers
    )
    a.write(rec, {"type": "revisit", "url": url, "skip": "revisit"})

    # Crawler metadata about a capture.
    headers, _ = a._headers("metadata")
    rec = a.writer.create_warc_record(
        url, "metadata", payload=BytesIO(b"via: https://www.notizie-quotidiane.example/\r\n"),
        warc_content_type="application/warc-fields", warc_headers_dict=headers,
    )
    a.write(rec, {"type": "metadata", "url": url, "skip": "metadata"})

    # Not HTML, and not found.
    a.response(
        "https://www.notizie-quotidiane.example/wp-json/wp/v2/posts",
        "200 OK",
        [("Content-Type", "application/json")],
        b'{"posts": []}',
        {"skip": "not HTML"},
    )
    a.response(
        "https://www.notizie-quotidiane.example/missing/",
        "404 Not Found",
        utf8,
        b"<html><body><p>Not found</p></body></html>",
        {"skip": "HTTP status not 200"},
    )
    a.close()
    return a


def build_plain():
    a = Archive(OUT / "plain.warc", gzip_members=False)
    a.warcinfo()
    page, _ = case("jsonld-newsarticle")
    a.page("jsonld-newsarticle", [("Content-Type", "text/html")], page)
    a.close()
    return a


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {a.path.name: a.records for a in (build_pages(), build_plain())}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
