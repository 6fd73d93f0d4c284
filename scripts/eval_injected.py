"""Injected-content and empty-link facts on real government pages: a clean page must yield none.

    .venv/bin/python scripts/eval_injected.py [DIR]   # default ../shared/data/realpages (not in the repository)

Prints each page's `injected` and `empty_links` facts (crawler/facts/injected.py, links.empty_anchor) and the count
of pages with any: GWS-V1c/V1d and LINK-EMPTY would report them. The development set is 14 real pages of
government sites; none is known to be hacked, so every fact printed is a false finding to fix — except `styled`
link farms, which are findings only if one of the site's stylesheets hides them (the stylesheets are not in the
set): they are counted apart, with how many look like drop-down menus (whose display:none is never counted).
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
    flagged = styled = menus = 0
    for f in pages:
        facts = extract(f.read_bytes(), f"http://{f.parent.name}/{f.name}", None, as_of=date.today())
        found = {k: facts.extra[k] for k in ("injected", "empty_links") if facts.extra.get(k)}
        blocks = found.get("injected", {}).pop("styled", [])
        styled += len(blocks)
        menus += sum(1 for b in blocks if b.get("menu"))
        found = {k: v for k, v in found.items() if v}
        if found:
            flagged += 1
            print(f.relative_to(base), json.dumps(found, ensure_ascii=False))
        for b in blocks:
            print(f.relative_to(base), "styled", b["selectors"], "menu" if b.get("menu") else "", len(b["links"]))
    print(f"{len(pages)} pages, {flagged} with injected-content or empty-link facts; "
          f"{styled} link farms left to the sites' stylesheets ({menus} drop-down menus)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
