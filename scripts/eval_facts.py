#!/usr/bin/env python
"""Measure page-fact extraction on the real development pages (not part of the repo).

    python scripts/eval_facts.py [--realpages ../shared/data/realpages] [--as-of YYYY-MM-DD]

Prints, per field, how many pages match labels.tsv (an empty cell means "the page does not show it",
so reporting something there is an error); then publish-date accuracy with every <meta name=…>
removed; the same two figures for htmldate at its best settings (every combination is run on the same
inputs); the date fixture pages of tests/facts; extraction throughput; and each miss with the text
around the date reported and whether the label's date occurs in the page at all.
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
from crawler.facts import dates, decode, extract  # noqa: E402
from crawler.facts.parse import parse  # noqa: E402

# Fixture pages of tests/facts written to hold the traps of Chinese pages, with their true publish date.
TRAPS = {
    "gkmlpt_article.html": "2024-03-05", "date_forms.html": "2024-03-06", "header_date.html": "2016-08-11",
    "traps.html": None, "event.html": None, "encoding_gbk.html": "2024-03-05",
    "hanweb_article.html": "2024-03-05",  # only in its URL (below)
    "bracket_label.html": "2024-03-05", "source_block.html": "2024-03-05", "numeral_variants.html": "2024-03-05",
    "header_prose.html": "2024-03-05",  # a date in the first sentence; the URL has the right one
}
TRAP_URLS = {"hanweb_article.html": "http://sthjj.example.gov.cn/art/2024/3/5/art_1234_5002.html",
             "header_prose.html": "http://www.example.gov.cn/xxdt/gzdt/202403/t20240305_1.html"}
# htmldate settings tried; the best on the real pages (ties: on the fixture pages) is the one compared.
HTMLDATE_SETTINGS = [dict(extensive_search=e, original_date=o, deferred_url_extractor=d)
                     for e in (True, False) for o in (True, False) for d in (False, True)]
# Labels that contradict the page itself: labels.tsv is data and is not edited here; both figures are printed.
CORRECTIONS = {
    ("tqjwhly.hebei.gov.cn", "jiucuo_sitecode"): (
        "1300000032", "its footer links the 找错 page: <a href=\"http://121.43.68.40/exposure/jiucuo.html?"
        "site_code=1300000032&url=…\">; labels.tsv took sitecodes only from the <script id=\"_jiucuo_\"> embed"),
}
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


def htmldate_date(body: bytes, url: str, as_of: date, settings: dict | None = None) -> str | None:
    """htmldate on the same page and URL, decoded by us (it mis-decodes some GBK/UTF-16 pages itself)."""
    from htmldate import find_date

    text, _ = decode(body)
    settings = settings or HTMLDATE_SETTINGS[0]
    try:
        return find_date(text, url=url, outputformat="%Y-%m-%d", max_date=as_of.isoformat(), **settings)
    except Exception:  # htmldate raises on some inputs; count as "no date"
        return None


def _date_forms(iso: str) -> re.Pattern:
    """Any written form of one date: 2024-03-05, 2024/3/5, 2024.03.05, 2024年3月5日, 20240305."""
    y, m, d = iso.split("-")
    m, d = f"0?{int(m)}", f"0?{int(d)}"
    return re.compile(rf"{y}\s*(?:[-/.]\s*{m}\s*[-/.]\s*{d}|年\s*{m}\s*月\s*{d}\s*日)(?!\d)|{y}{int(m[2:]):02d}{int(d[2:]):02d}")


def occurs(iso: str, body: bytes) -> bool:
    """Whether the date occurs anywhere in the page's HTML (text, attributes, scripts, URLs)."""
    return bool(_date_forms(iso).search(dates.widen(decode(body)[0])))


def context(body: bytes, iso: str | None, width: int = 30) -> str:
    """The visible text around the first occurrence of a date (or the page's first dates, for None)."""
    text, encoding = decode(body)
    root = parse(body, text, encoding)
    etree.strip_elements(root, "script", "style", with_tail=False)
    text = dates.widen(" ".join(" ".join(root.itertext()).split()))
    m = _date_forms(iso).search(text) if iso else dates.DATE_RE.search(text)
    return text[max(0, m.start() - width):m.end() + width] if m else "(no date in the text)"


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
    print("| field | correct (labels.tsv as is) | correct (labels corrected below) |\n|---|---|---|")
    misses = []
    all_facts = [extract(row["body"], row["url"], as_of=args.as_of) for row in rows]
    for field in FIELDS:
        hits = corrected = 0
        for row, facts in zip(rows, all_facts):
            got, want = observed(facts, field), expected(row, field)
            right = CORRECTIONS.get((row["page"], field), (want,))[0]
            hits += got == want
            corrected += got == right
            if got != right and field != "published":  # published misses are detailed below
                misses.append(f"{row['page']}: {field} = {got!r}, label {right!r}")
        print(f"| {field} | {pct(hits, n)} | {pct(corrected, n)} |")
    print("| site_name | not extracted (PageFacts has no site_name field) | |")
    for (name, field), (value, why) in CORRECTIONS.items():
        print(f"\nLabel corrected: {name} {field} = {value!r} (labels.tsv: empty): {why}.")

    pages = Path(__file__).resolve().parents[1] / "tests/facts/pages"
    trap_as_of = date(2024, 12, 31)
    traps = []
    for name, want in TRAPS.items():
        text = (pages / name).read_text(encoding="utf-8")
        traps.append((name, text.encode("gbk" if "gbk" in name else "utf-8"),
                      TRAP_URLS.get(name, f"http://www.example.gov.cn/{name}"), want))

    def run(fn, variant):
        """[(row, got)] of one extractor on the real pages, with or without meta."""
        return [(row, fn(row["body"] if variant == "with" else without_meta(row["body"]), row["url"], args.as_of))
                for row in rows]

    def ours(body, url, as_of):
        f = extract(body, url, as_of=as_of)
        return observed(f, "published"), f.published_source

    def score(results):
        return sum(got == expected(row, "published") for row, got in results)

    real = {v: run(lambda b, u, a: ours(b, u, a)[0], v) for v in ("with", "without")}
    best, best_key = None, None
    for settings in HTMLDATE_SETTINGS:
        hd = {v: run(lambda b, u, a, s=settings: htmldate_date(b, u, a, s), v) for v in ("with", "without")}
        trap_hits = sum(htmldate_date(b, u, trap_as_of, settings) == w for _, b, u, w in traps)
        key = (score(hd["with"]) + score(hd["without"]), trap_hits)
        if best_key is None or key > best_key:
            best, best_key = (settings, hd), key
    hd_settings, hd = best
    shown = ", ".join(f"{k}={v}" for k, v in hd_settings.items())

    print("\n## Publish date, with and without <meta name=…> (labels.tsv)\n")
    print("| extractor | with meta | without meta |\n|---|---|---|")
    print(f"| gkaudit | {pct(score(real['with']), n)} | {pct(score(real['without']), n)} |")
    print(f"| htmldate ({shown}) | {pct(score(hd['with']), n)} | {pct(score(hd['without']), n)} |")
    reachable = sum(not expected(row, "published") or occurs(expected(row, "published"), without_meta(row["body"]))
                    for row in rows)
    print(f"\nLabels a date extractor can reproduce once the meta tags are removed (the label is empty, or its "
          f"date occurs somewhere in the page): {pct(reachable, n)}")

    print(f"\n## Publish date on the date fixture pages of tests/facts ({len(traps)} pages, no meta dates)\n")
    print("| extractor | correct |\n|---|---|")
    for label, fn in (("gkaudit", lambda b, u: ours(b, u, trap_as_of)[0]),
                      ("htmldate", lambda b, u: htmldate_date(b, u, trap_as_of, hd_settings))):
        hits = 0
        for name, body, url, want in traps:
            got = fn(body, url)
            hits += got == want
            if got != want:
                misses.append(f"fixture {name}: {label} = {got!r}, expected {want!r}")
        print(f"| {label} | {pct(hits, len(traps))} |")

    for variant in ("with", "without"):
        for (row, got), (_, hd_got) in zip(real[variant], hd[variant]):
            want = expected(row, "published")
            if got == want:
                continue
            body = row["body"] if variant == "with" else without_meta(row["body"])
            source = ours(body, row["url"], args.as_of)[1]
            where = (f"label date occurs in the page: {'yes' if occurs(want, body) else 'no'}" if want
                     else "label empty")
            misses.append(f"{row['page']} ({variant} meta): gkaudit {got!r} [{source}], htmldate {hd_got!r}, "
                          f"label {want!r}; {where}; context: 「{context(body, got)}」")

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

    print("\n## Misses, page by page\n")
    for line in misses:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
