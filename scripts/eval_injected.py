"""Injected-content and empty-link facts on real government pages: a clean page must yield none.

    .venv/bin/python scripts/eval_injected.py [DIR]   # default ../shared/data/realpages (not in the repository)

Prints each page's `injected` and `empty_links` facts (crawler/facts/injected.py, links.empty_anchor) and the count
of pages with any: GWS-V1c/V1d and LINK-EMPTY would report them. The development set is 14 real pages of
government sites; none is known to be hacked, so every fact printed is a false finding to fix.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.facts import extract  # noqa: E402


def main() -> int:
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "realpages"
    pages = [f for f in sorted(base.rglob("*")) if f.is_file() and f.suffix in (".html", ".htm", ".shtml")]
    flagged = 0
    for f in pages:
        facts = extract(f.read_bytes(), f"http://{f.parent.name}/{f.name}", None, as_of=date.today())
        found = {k: facts.extra[k] for k in ("injected", "empty_links") if facts.extra.get(k)}
        if found:
            flagged += 1
            print(f.relative_to(base), json.dumps(found, ensure_ascii=False))
    print(f"{len(pages)} pages, {flagged} with injected-content or empty-link facts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
