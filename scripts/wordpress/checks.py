"""Body checks of measure.py: what boilerplate of the test site leaked into a
record's body, and how close the body is to the one a human would extract."""

import re
from collections import Counter

SHARE_TEXTS = ("Share this:", "Click to share", "Click to email")
SHARE_LABELS = {"Facebook", "X", "LinkedIn", "WhatsApp", "Telegram", "Email"}
FORM_TEXTS = ("Leave a Reply", "Your email address will not be published", "Required fields are marked",
              "Post Comment", "Save my name, email", "Cancel reply")
META_PARAGRAPHS = {"Posted", "in", "by", "Tags:"}
WORD = re.compile(r"\w+", re.UNICODE)


def leaks(body, post, manifest):
    """Names of the kinds of boilerplate found in `body` (a record of `post`)."""
    by_index = {p["index"]: p for p in manifest["posts"]}
    read_titles = {by_index[link["index"]]["title"] for link in post["read_links"] if link["index"] in by_index}
    authors = {a["name"] for a in manifest["authors"]}
    found = set()
    for para in (p.strip() for p in body.split("\n\n")):
        if re.match(r"READ\b", para):
            found.add("READ")
        if para.startswith("Leggi anche"):
            found.add("Leggi anche")
        if para in read_titles:
            found.add("READ link title")
        if para in SHARE_LABELS or any(s in para for s in SHARE_TEXTS):
            found.add("share bar")
        if any(s in para for s in FORM_TEXTS):
            found.add("comment form")
        if para == "Comments" or re.search(r"\b(responses?|Thoughts?) (to|on) ", para):
            found.add("comments heading")
        if para in META_PARAGRAPHS or para in authors:
            found.add("post meta")
    if any(c in body for c in post["comments"]):
        found.add("comments")
    return found


def body_f1(got, want):
    """F1 of the two texts' words (lower-cased, counted with repetition)."""
    a = Counter(w.lower() for w in WORD.findall(got))
    b = Counter(w.lower() for w in WORD.findall(want))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)
