"""`make bench-render`: the cost of rendering only where needed, render on against off in the same run.

Generates a province (fixtures.generator) and turns it into one that builds part of its pages in the browser:
10 % of the sites load their homepage footer from a JSON API, 5 % of the column list pages are application roots
filled from JSON (fixtures.scripted). Audits it twice, `--render off` then `--render auto`, each in its own
process, and prints: the share of HTML pages rendered (target ≤ 5 %), pages rendered per second of wall time the
rendering added, the wall-time ratio on ÷ off (target ≤ 1.5×), and the peak memory (PSS) of each audit's whole
process tree, chromium included (target ≤ 1.5 GB).

Two more audits add GUIDE-12's opt-in accessibility checks (`--a11y on`: axe-core on each site's homepage and
`--a11y-pages` 二级 pages, default 3; then the homepage only) to separate their cost, and the stored
page.extra "a11y" gives the time of each page's run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fixtures import scripted  # noqa: E402
from fixtures.generator import generate  # noqa: E402
from fixtures.server import serve  # noqa: E402

BIN = Path(sys.executable).parent


def _tree_rss_mb(pid: int) -> float:
    """Resident memory (PSS) of a process and all its descendants (chromium's processes included), in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:  # proportional set size: memory shared by chromium's processes is counted once
            line = next(x for x in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines() if x.startswith("Pss:"))
            total += int(line.split()[1])
        except (OSError, StopIteration):
            continue
    return total / 1024


def run_measured(cmd: list[str]) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.5)

    threading.Thread(target=sample, daemon=True).start()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait()
    if code not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed:\n{stderr[-3000:]}")
    return {"wall": time.perf_counter() - start, "rss_mb": peak[0]}


def median(runs: list[dict]) -> dict:
    """The run of median wall time (of several runs of one mode)."""
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def script_province(province: Path, seed: int) -> tuple[int, int]:
    """10 % of the sites: footer from an API; 5 % of list pages: app roots. (sites changed, list pages changed)."""
    rng = random.Random(seed)
    sites = sorted(p for p in province.iterdir() if (p / "root" / "index.html").exists())
    footers = rng.sample(sites, max(1, round(len(sites) * 0.10)))
    for site in footers:
        scripted.footer_from_api(site / "root")
    lists = []
    for site in sites:
        for page in sorted((site / "root").rglob("index*.htm*")):
            if page.parent != site / "root" and 'name="ColumnName"' in page.read_text(encoding="utf-8",
                                                                                     errors="replace"):
                lists.append((site, page))
    chosen = rng.sample(lists, max(1, round(len(lists) * 0.05)))
    for i, (site, page) in enumerate(chosen):
        scripted.app_root(site / "root", str(page.relative_to(site / "root")), f"list{i}")
    return len(footers), len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep the generated province and outputs in this directory")
    parser.add_argument("--repeat", type=int, default=1,
                        help="audit off and auto this many times, alternating (a loaded host: the ratio of medians)")
    parser.add_argument("--no-a11y", action="store_true",
                        help="only the render off / auto audits (skip the two --a11y on audits)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="gkaudit-bench-render-"))
    work.mkdir(parents=True, exist_ok=True)
    province = work / "province"
    generate(args.sites, args.pages, args.seed, province)
    footers, lists = script_province(province, args.seed)
    print(f"province: {args.sites} sites × {args.pages} pages; {footers} sites build their footer from a JSON API, "
          f"{lists} list pages are app roots filled from JSON")
    results = {}
    with serve(sites_dir=province) as server:
        modes = [("off", []), ("auto", []), ("a11y", ["--a11y", "on"]),
                 ("home-only", ["--a11y", "on", "--a11y-pages", "0"])]
        runs = modes[:2] * max(1, args.repeat) + ([] if args.no_a11y else modes[2:])
        for mode, extra in runs:
            db = work / f"render-{mode}.db"
            db.unlink(missing_ok=True)
            results.setdefault(mode, []).append(run_measured([
                str(BIN / "gkaudit"), "audit", "--sites", str(server.sites_file), "--as-of", "2026-11-20",
                "--db", f"sqlite:///{db}", "--delay", "0", "--max-pages", str(args.pages * 3), "--progress", "0",
                "--documents", "off", "--network", "off", "--render", "off" if mode == "off" else "auto", *extra,
                "--out", str(work / f"report-{mode}")]))
            print(f"  {mode}: {results[mode][-1]['wall']:.1f} s (load {os.getloadavg()[0]:.1f})", flush=True)
    pairs = [a["wall"] and b["wall"] / a["wall"] for a, b in zip(results["off"], results["auto"])]
    results = {mode: median(r) for mode, r in results.items()}
    con = sqlite3.connect(work / "render-auto.db")
    pages = con.execute("select count(*) from page where encoding is not null and probe = 0").fetchone()[0]
    marked = [row[0] for row in con.execute("select extra from page where extra like '%\"rendered\"%'")]
    rendered = sum('"added"' in extra for extra in marked)
    off, on = results["off"], results["auto"]
    added = on["wall"] - off["wall"]
    rate = f"{rendered / added:.2f}" if added > 0 else "n/a (no measurable added time)"
    print(f"render off: {off['wall']:.1f} s, peak RSS (PSS of the process tree) {off['rss_mb']:.0f} MB")
    print(f"render auto: {on['wall']:.1f} s, peak RSS (PSS of the process tree, chromium included) {on['rss_mb']:.0f} MB")
    print(f"pages rendered: {rendered} of {pages} HTML pages ({100 * rendered / max(pages, 1):.2f} %; "
          f"{len(marked) - rendered} marked but not rendered)")
    print(f"pages rendered per second of added wall time: {rate}")
    print(f"wall time render on ÷ off: {on['wall'] / off['wall']:.2f}× (medians)" + (
        f"; each off/auto pair run back to back: {', '.join(f'{r:.2f}×' for r in pairs)}, median "
        f"{sorted(pairs)[len(pairs) // 2]:.2f}×" if len(pairs) > 1 else ""))
    if args.no_a11y:
        return 0
    con = sqlite3.connect(work / "render-a11y.db")
    runs = [json.loads(row[0])["a11y"] for row in con.execute("select extra from page where extra like '%\"a11y\"%'")]
    seconds = sorted(r["seconds"] for r in runs if "seconds" in r)
    if seconds:
        print(f"accessibility checks: {len(runs)} pages ({sum('error' in r for r in runs)} failed), "
              f"{sum(seconds) / len(seconds):.2f} s per page (median {seconds[len(seconds) // 2]:.2f} s, "
              f"max {seconds[-1]:.2f} s)")
    for mode, what in (("a11y", "--a11y on (homepage + --a11y-pages)"), ("home-only", "--a11y on --a11y-pages 0")):
        run = results[mode]
        print(f"render auto, {what}: {run['wall']:.1f} s ({run['wall'] / off['wall']:.2f}× off), "
              f"peak RSS {run['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
