"""WORD-02 and WORD-03 on the real-page development set: every serious-wording and renamed-place hit the extractor
finds (must be none).

    .venv/bin/python scripts/eval_wording.py [--realpages ../shared/data/realpages] [--as-of 2026-11-22] [--also DIR…]

Each page is read by crawler.facts.extract with the shipped library (config/wording.yaml), as the crawler reads it;
the script prints each hit (page, wrong form, correct form, snippet), the WORD-01 outdated names for information,
the date facts (a publish date after the audit date, the text fingerprint), and `WORD-02 hits: N` on its last line.
`--also` adds folders of HTML files (e.g. fixtures/sites) to the same scan. The real pages are data outside the
repository; tests never read them.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.facts import extract  # noqa: E402


def pages(folder: Path):
    for path in sorted(folder.rglob("*.htm*")):
        yield path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realpages", default=str(ROOT.parent / "shared" / "data" / "realpages"))
    parser.add_argument("--as-of", default="2026-11-22")
    parser.add_argument("--also", nargs="*", default=[], help="more folders of HTML pages")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    folders = [Path(args.realpages), *(Path(f) for f in args.also)]
    scanned = serious = outdated = future = renamed = 0
    for folder in folders:
        if not folder.is_dir():
            print(f"not a folder: {folder}", file=sys.stderr)
            return 2
        for path in pages(folder):
            facts = extract(path.read_bytes(), f"http://{path.parent.name}/{path.name}", as_of=as_of)
            scanned += 1
            name = path.relative_to(folder)
            for hit in facts.term_hits:
                if hit["list"] == "serious":
                    serious += 1
                    print(f"WORD-02 {name}: 「{hit['term']}」→「{hit['right']}」（{hit['category']}）…{hit['snippet']}…")
                elif hit["list"] == "renamed":  # WORD-03 judges it by the page's date; every hit is shown
                    renamed += 1
                    print(f"WORD-03 {name}: 「{hit['term']}」→「{hit['right']}」（{facts.published}，变更于 {hit['since']}）"
                          f"…{hit['snippet']}…")
                else:
                    outdated += 1
                    print(f"WORD-01 {name}: 「{hit['term']}」（{facts.published}）…{hit['snippet']}…")
            if "future_date" in facts.extra:
                future += 1
                print(f"future date {name}: {facts.extra['future_date']}")
    print(f"pages: {scanned}; WORD-01 occurrences: {outdated}; future dates: {future}")
    print(f"WORD-03 hits (before the page's date is judged): {renamed}")
    print(f"WORD-02 hits: {serious}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
