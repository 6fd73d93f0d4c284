#!/usr/bin/env python
"""Measure page-fact extraction on the real development pages (not part of the repo).

    python scripts/eval_facts.py [--realpages ../shared/data/realpages] [--as-of YYYY-MM-DD]

Prints, per field, how many pages match labels.tsv (an empty cell means "the page does not show it",
so reporting something there is an error); then publish-date accuracy with every <meta name=…>
removed; the same two figures for htmldate; and extraction throughput.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from datetime import date
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crawler.facts import decode, extract  # noqa: E402

# Fixture pages of tests/facts written to hold the traps of Chinese pages, with their true publish date.
TRAPS = {
    "gkmlpt_article.html": "2024-03-05", "date_forms.html": "2024-03-06", "header_date.html": "2016-08-11",
    "traps.html": None, "event.html": None, "encoding_gbk.html": "2024-03-05",
    "hanweb_article.html": "2024-03-05",  # only in its URL (below)
}
TRAP_URLS = {"hanweb_article.html": "http://sthjj.example.gov.cn/art/2024/3/5/art_1234_5002.html"}
FIELDS = ("encoding", "site_id_code", "icp", "police_record", "published", "jiucuo_sitecode", "conac")
_META_NAME = re.compile(r"<meta\b[^>]*?\bname\s*=[^>]*>", re.I)


def load(root: Path) -> list[dict]:
    with open(root / "labels.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["body"] = (root / row["file"]).read_bytes()
        row["url"] = f"http://{row['page']}/{Path(row['file']).name}"
    return rows


def expected(row: dict, field: str):
    value = row[field].strip()
    if field == "conac":
        return value == "yes"
    if field == "encoding":
        return value.split("(")[0]  # "utf-16(BOM)" → "utf-16"
    return value or None


def observed(facts, field: str):
    value = getattr(facts, field)
    return value.isoformat() if isinstance(value, date) else value


def without_meta(body: bytes) -> bytes:
    """The same page with every <meta name=…> element removed, in its original encoding."""
    text, encoding = decode(body)
    stripped = _META_NAME.sub("", text)
    return stripped.encode(encoding) if encoding != "utf-16" else b"\xff\xfe" + stripped.encode("utf-16-le")


def htmldate_date(body: bytes, url: str, as_of: date) -> str | None:
    from htmldate import find_date

    text, _ = decode(body)
    try:
        return find_date(text, url=url, extensive_search=True, original_date=True,
                         outputformat="%Y-%m-%d", max_date=as_of.isoformat())
    except Exception:  # htmldate raises on some inputs; count as "no date"
        return None


def pct(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.1f}%)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--realpages", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/realpages")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    ap.add_argument("--seconds", type=float, default=3.0, help="time budget of the throughput run")
    args = ap.parse_args()
    rows = load(args.realpages)
    n = len(rows)

    print(f"## Field accuracy ({n} pages, labels.tsv)\n")
    print("| field | correct |\n|---|---|")
    misses = []
    for field in FIELDS:
        hits = 0
        for row in rows:
            got, want = observed(extract(row["body"], row["url"], as_of=args.as_of), field), expected(row, field)
            hits += got == want
            if got != want:
                misses.append(f"{row['page']}: {field} = {got!r}, label {want!r}")
        print(f"| {field} | {pct(hits, n)} |")
    print("| site_name | not extracted (PageFacts has no site_name field) |")

    print("\n## Publish date, with and without <meta name=…>\n")
    print("| extractor | with meta | without meta |\n|---|---|---|")
    for label, fn in (("gkaudit", lambda b, u: observed(extract(b, u, as_of=args.as_of), "published")),
                      ("htmldate 1.x (extensive, original_date)", lambda b, u: htmldate_date(b, u, args.as_of))):
        cells = []
        for variant in ("with", "without"):
            hits = 0
            for row in rows:
                body = row["body"] if variant == "with" else without_meta(row["body"])
                got, want = fn(body, row["url"]), expected(row, "published")
                hits += got == want
                if got != want and label == "gkaudit":
                    misses.append(f"{row['page']}: published ({variant} meta) = {got!r}, label {want!r}")
            cells.append(pct(hits, n))
        print(f"| {label} | {cells[0]} | {cells[1]} |")

    pages = Path(__file__).resolve().parents[1] / "tests/facts/pages"
    print(f"\n## Publish date on the trap pages of tests/facts ({len(TRAPS)} pages, no meta dates)\n")
    print("| extractor | correct |\n|---|---|")
    trap_as_of = date(2024, 12, 31)
    for label, fn in (("gkaudit", lambda b, u: observed(extract(b, u, as_of=trap_as_of), "published")),
                      ("htmldate", lambda b, u: htmldate_date(b, u, trap_as_of))):
        hits = 0
        for name, want in TRAPS.items():
            text = (pages / name).read_text(encoding="utf-8")
            body = text.encode("gbk" if "gbk" in name else "utf-8")
            got = fn(body, TRAP_URLS.get(name, f"http://www.example.gov.cn/{name}"))
            hits += got == want
            if got != want:
                misses.append(f"trap {name}: {label} = {got!r}, expected {want!r}")
        print(f"| {label} | {pct(hits, len(TRAPS))} |")

    print("\n## Throughput (one core)\n")
    bodies = [(row["body"], row["url"]) for row in rows]
    size = sum(len(b) for b, _ in bodies) / n / 1024
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True)
    for label, fn in (("extract()", lambda b, u: extract(b, u, as_of=args.as_of)),
                      ("lxml parse only (floor)", lambda b, u: etree.fromstring(decode(b)[0].encode(), parser))):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for b, u in bodies:
                fn(b, u)
            done += n
        rate = done / (time.perf_counter() - start)
        print(f"- {label}: {rate:,.0f} pages/s (mean page {size:.1f} KB)")

    print("\n## Disagreements with labels\n")
    for line in misses:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
