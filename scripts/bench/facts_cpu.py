"""CPU per page of the page-fact extraction, with and without the readers of issue 20 (injected content, empty links).

    .venv/bin/python scripts/bench/facts_cpu.py [--sites 6] [--pages 200] [--rounds 5]

Generates a province (fixtures.generator), then extracts every HTML page in-process: rounds alternate between the
full extractor and one whose injected-content reader is switched off, so both see the same machine load; prints
CPU ms per page of each (the best round) and their ratio. Issue 20's target: at most +10 %.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.facts import extract, injected  # noqa: E402
from fixtures import generator  # noqa: E402

AS_OF = date(2026, 11, 20)


def pages(sites: int, per_site: int) -> list[tuple[str, bytes]]:
    out = []
    with tempfile.TemporaryDirectory() as work:
        generator.generate(sites, per_site, 1, Path(work), AS_OF)
        for path in sorted(Path(work).glob("*/root/**/*")):
            if path.is_file() and (path.suffix in (".html", ".htm", ".shtml") or "." not in path.name):
                out.append((f"http://127.0.0.2/{path.name}", path.read_bytes()))
    return out


def cpu(corpus: list[tuple[str, bytes]]) -> float:
    start = time.process_time()
    for url, body in corpus:
        extract(body, url, "text/html; charset=utf-8", as_of=AS_OF)
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=6)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    corpus = pages(args.sites, args.pages)
    real = injected.read
    best = {"with": float("inf"), "without": float("inf")}
    cpu(corpus)  # warm up: vocabularies, regexes, imports
    for _ in range(args.rounds):
        for mode in ("without", "with"):
            injected.read = real if mode == "with" else (lambda *a, **k: {})
            best[mode] = min(best[mode], cpu(corpus))
    injected.read = real
    n = len(corpus)
    for mode in ("without", "with"):
        print(f"{mode:8} injected-content reader: {1000 * best[mode] / n:.3f} ms CPU/page ({n} pages, best of "
              f"{args.rounds})")
    print(f"ratio: {best['with'] / best['without']:.3f}  (issue 20 target ≤ 1.10)")


if __name__ == "__main__":
    main()
