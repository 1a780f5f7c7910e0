#!/usr/bin/env python3
"""Save what the loopback WordPress serves as newscrawl's regression fixtures.

Writes fixtures/wordpress-block-theme/ (see its README.md): a normal post and
a short post, each with the record a human would extract (expected.json,
taken from the site's manifest: the post's own title, author, date, language
and text, without READ / "Leggi anche" paragraphs, share bar, comments or
comment form), and the home page, a category page, an author page, the main
feed, the post's comments feed and the site's comments feed.

Pages are trimmed to stay small: the contents of inline <style> and <script>
elements and of the theme's hidden duotone <svg> filters are dropped (the
elements stay), and the main feed keeps its first 3 items. Nothing else is
changed.

    sudo scripts/wordpress/wp-site start     # a freshly reset site
    scripts/wordpress/save-fixtures.py
"""

import argparse
import json
import os
import re
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NORMAL_POST = 28  # Italian, 688 words, READ and "Leggi anche" paragraphs, subheadings, a reply thread
SHORT_POST = 53  # English, 179 words, a READ paragraph, a reply thread
FEED_ITEMS = 3


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def trim_html(html):
    html = re.sub(r"(<style\b[^>]*>).*?(</style>)", r"\1/* trimmed */\2", html, flags=re.S)
    html = re.sub(r"(<script\b(?![^>]*\bsrc=)[^>]*>).*?(</script>)", r"\1/* trimmed */\2", html, flags=re.S)
    return re.sub(r"(<svg\b[^>]*>)<defs><filter id=\"wp-duotone-.*?(</svg>)", r"\1\2", html, flags=re.S)


def trim_feed(xml):
    items = list(re.finditer(r"\s*<item>.*?</item>", xml, flags=re.S))
    if len(items) <= FEED_ITEMS:
        return xml
    return xml[: items[FEED_ITEMS].start()] + xml[items[-1].end():]


def expected(post):
    return {
        "input_url": post["url"],
        "no_selectors": True,
        "record": {
            "url": post["url"],
            "site": post["url"].split("/")[2],
            "title": post["title"],
            "authors": post["authors"],
            "published": post["published"],
            "modified": None,
            "language": post["language"],
            "body": post["body"],
            "extractor": "generic",
        },
    }


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{os.path.relpath(path, REPO)}: {len(text.encode())} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wp-run", default=os.environ.get("WP_RUN", "/var/tmp/newscrawl-wp"))
    ap.add_argument("--out", default=os.path.join(REPO, "fixtures", "wordpress-block-theme"))
    args = ap.parse_args()
    with open(os.path.join(args.wp_run, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    posts = {p["index"]: p for p in manifest["posts"]}
    normal, short = posts[NORMAL_POST], posts[SHORT_POST]
    author = next(a for a in manifest["authors"] if a["name"] == normal["authors"][0])
    category = manifest["home"] + "category/" + normal["categories"][0].lower() + "/"
    for name, post in (("post", normal), ("short-post", short)):
        write(os.path.join(args.out, name, "page.html"), trim_html(fetch(post["url"])))
        write(os.path.join(args.out, name, "expected.json"),
              json.dumps(expected(post), indent=2, ensure_ascii=False) + "\n")
    for name, url in (("home.html", manifest["home"]), ("category.html", category),
                      ("author.html", author["url"])):
        write(os.path.join(args.out, name), trim_html(fetch(url)))
    write(os.path.join(args.out, "feed.xml"), trim_feed(fetch(manifest["feed"])))
    write(os.path.join(args.out, "post-comments-feed.xml"), fetch(normal["comments_feed"]))
    write(os.path.join(args.out, "comments-feed.xml"), fetch(manifest["comments_feed"]))


if __name__ == "__main__":
    main()
