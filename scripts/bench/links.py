"""`make bench-links`: gkaudit's link checking against LinkChecker (PyPI) and linkinator (npm), in one run.

Generates one site (fixtures.generator), serves it on loopback (fixtures.server), then runs, each in its own
process, on that site only and never on another host:

- ``gkaudit audit --delay 0`` (crawl, store, page facts, checks, reports): links checked = distinct link
  targets in its ``page`` table (the not-found probe excluded), dead links = GWS-DLINK findings;
- LinkChecker 10.x, recursively from the homepage, CSV output, checking extern links off, robots.txt obeyed;
- LinkChecker again on exactly the link targets gkaudit checked (``--stdin``, recursion level 0): the same
  work for both, so this row compares throughput without LinkChecker's smaller crawl;
- linkinator 8.x, recursively from the homepage, JSON output, other hosts skipped, robots.txt Disallow rules
  passed as ``--skip`` patterns (linkinator does not read robots.txt itself).

Fairness: gkaudit with ``--delay 0`` has no per-host rate limit; it is bounded only by its concurrency
(``CONCURRENT_REQUESTS = 32``: with a zero delay Scrapy does not enforce the per-slot limit, see
docs/performance.md). So every tool gets the same concurrency (LinkChecker ``threads``, linkinator
``--concurrency``), and LinkChecker's per-host rate is set to gkaudit's effective one: LinkChecker's
``maxrequestspersecond`` r spaces the requests to one host by a random 1/r … 6/r seconds (mean 3.5/r), so
``--lc-rate match`` (default) sets r = 3.5 × gkaudit's measured requests/s to the host in the same run, a mean
cap equal to the rate gkaudit reached; ``--lc-rate 10000`` makes the cap irrelevant. LinkChecker honours r
above 10 only when the server sends a ``LinkChecker`` response header, which the benchmark adds to every
answer of the served copy (a ``faults.yaml`` header entry in the generated site; the other tools ignore it).
Without it LinkChecker would be held to ~3 requests/s here, which is not what the comparison is about.

Ground truth: the GWS-DLINK entries of the site's ``expected.yaml``. Prints per tool links checked, seconds,
links/s, dead links found, true/false positives and false negatives, and ``links ratio: X.XX`` =
gkaudit links/s ÷ LinkChecker links/s (the recursive run). Seconds are each process's wall time, start-up
included; gkaudit's include its page facts, all the rules of config/rules and the HTML/XLSX/JSON reports.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from fixtures.generator import generate  # noqa: E402
from fixtures.server import serve  # noqa: E402

BIN = Path(sys.executable).parent
NODE_DIR = ROOT / ".bench"
LINKINATOR = NODE_DIR / "node_modules" / ".bin" / "linkinator"
LINKCHECKER_SPEC = "linkchecker>=10,<11"  # keep in step with pyproject.toml [project.optional-dependencies] bench
LINKINATOR_SPEC = "^8.1.0"
AS_OF = "2026-11-20"
GK_CONCURRENCY = 32  # crawler/settings.py CONCURRENT_REQUESTS (per host too, with --delay 0)
LC_HEADER_NOTE = "benchmark: lets LinkChecker exceed 10 requests/s (maxrequestspersecond)"


class BenchError(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"bench-links: {message}")


# ------------------------------------------------------------------------------------------ tools

def node_major() -> int | None:
    node = shutil.which("node")
    if not node:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    m = re.match(r"v(\d+)", out)
    return int(m.group(1)) if m else None


def install_tools() -> None:
    """Install the two reference tools where the benchmark looks for them (venv, .bench/)."""
    if not (BIN / "linkchecker").exists():
        print(f"installing {LINKCHECKER_SPEC} into {BIN.parent}")
        subprocess.run([str(BIN / "python"), "-m", "pip", "install", "-q", LINKCHECKER_SPEC], check=True)
    if not LINKINATOR.exists():
        major = node_major()
        if major is None or not shutil.which("npm"):
            raise BenchError("node and npm are needed to install linkinator (npm install --prefix .bench linkinator@8)")
        NODE_DIR.mkdir(exist_ok=True)
        package = {"private": True, "description": "gkaudit benchmark tools (git-ignored)",
                   "dependencies": {"linkinator": LINKINATOR_SPEC}}
        if major < 22:
            # linkinator 8 pulls undici 8, which needs Node 22 (zstd); undici 7 has the same fetch API and runs on 20.
            package["overrides"] = {"undici": "^7.16.0"}
        (NODE_DIR / "package.json").write_text(json.dumps(package, indent=2) + "\n")
        print(f"installing linkinator {LINKINATOR_SPEC} into {NODE_DIR} (node {major})")
        subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--silent"], check=True)


def tool_versions() -> dict[str, str]:
    """Each tool's version, or a clear error saying how to install it."""
    versions = {}
    if not (BIN / "gkaudit").exists():
        raise BenchError(f"{BIN / 'gkaudit'} not found: run `make install` first")
    lc = BIN / "linkchecker"
    if not lc.exists():
        raise BenchError(f"LinkChecker not found in {BIN}: `{BIN / 'pip'} install '{LINKCHECKER_SPEC}'` "
                         "(or `make bench-links`, which installs it)")
    out = subprocess.run([str(lc), "--version"], capture_output=True, text=True)
    m = re.search(r"LinkChecker (\S+)", out.stdout + out.stderr)
    if not m:
        raise BenchError(f"`linkchecker --version` did not answer as expected:\n{(out.stdout + out.stderr)[-1500:]}")
    if not m.group(1).startswith("10."):
        print(f"warning: LinkChecker {m.group(1)}, the benchmark was written for 10.x", file=sys.stderr)
    versions["linkchecker"] = m.group(1)
    if not LINKINATOR.exists():
        raise BenchError(f"linkinator not found at {LINKINATOR}: `npm install --prefix .bench linkinator@8` "
                         "(on Node < 22 see install_tools() for the undici override; `make bench-links` does it)")
    out = subprocess.run([str(LINKINATOR), "--version"], capture_output=True, text=True)
    if out.returncode != 0 or not re.match(r"\d+\.", out.stdout.strip()):
        raise BenchError(f"linkinator does not run (node {node_major()}):\n{(out.stdout + out.stderr)[-1500:]}")
    if not out.stdout.startswith("8."):
        print(f"warning: linkinator {out.stdout.strip()}, the benchmark was written for 8.x", file=sys.stderr)
    versions["linkinator"] = out.stdout.strip()
    versions["node"] = f"v{node_major()}"
    return versions


def run_timed(cmd: list[str], what: str, ok_codes=(0,), stdin: str | None = None, cwd: Path | None = None,
              ) -> tuple[float, str, str]:
    """Run a command; (wall seconds, stdout, stderr). Exits with the tool's own message if it failed."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=cwd, timeout=3600)
    except FileNotFoundError as exc:
        raise BenchError(f"{what}: {exc}") from exc
    wall = time.perf_counter() - start
    if proc.returncode not in ok_codes:
        raise BenchError(f"{what} failed (exit code {proc.returncode}): {' '.join(cmd[:6])} …\n"
                         f"{(proc.stderr or proc.stdout)[-3000:]}")
    return wall, proc.stdout, proc.stderr


# --------------------------------------------------------------------------------------- helpers

def norm(url: str) -> str:
    """Compare URLs without their fragment."""
    return urldefrag(url)[0]


def robots_disallow(base: str) -> list[str]:
    """The Disallow prefixes of the `User-agent: *` group of the site's robots.txt (all tools obey it)."""
    try:
        text = urllib.request.urlopen(base + "robots.txt", timeout=10).read().decode("utf-8", "replace")
    except OSError:
        return []
    rules, applies = [], False
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (x.strip() for x in line.split(":", 1))
        if key.lower() == "user-agent":
            applies = value == "*"
        elif key.lower() == "disallow" and applies and value:
            rules.append(value)
    return rules


def robots_regex(base: str, rule: str) -> str:
    pattern = re.escape(base.rstrip("/") + rule).replace(r"\*", ".*")
    return "^" + (pattern[:-2] + "$" if pattern.endswith(r"\$") else pattern)


def add_linkchecker_header(site_dir: Path) -> None:
    """Every answer of the served copy carries `LinkChecker:` so LinkChecker may exceed 10 requests/s."""
    path = site_dir / "faults.yaml"
    data = yaml.safe_load(path.read_text("utf-8")) if path.exists() else None
    faults = (data or {}).get("faults") or {}
    if "*" in faults:
        raise BenchError(f"{path} already has a '*' fault; the benchmark needs a clean site")
    faults["*"] = {"headers": {"LinkChecker": "gkaudit-bench"}, "note": LC_HEADER_NOTE}
    path.write_text(yaml.safe_dump({"faults": faults}, allow_unicode=True, sort_keys=False), encoding="utf-8")


# ------------------------------------------------------------------------------------------ runs

def run_gkaudit(sites_file: Path, out: Path, max_pages: int, site_host: str) -> dict:
    db = out / "gkaudit.db"
    db.unlink(missing_ok=True)
    wall, _, _ = run_timed([str(BIN / "gkaudit"), "audit", "--sites", str(sites_file), "--as-of", AS_OF,
                            "--out", str(out / "report"), "--db", f"sqlite:///{db}", "--delay", "0",
                            "--max-pages", str(max_pages)], "gkaudit audit", cwd=out)
    con = sqlite3.connect(db)
    rows = con.execute("select url, status, error, encoding is not null, external from page where not probe").fetchall()
    window = con.execute("select min(fetched_at), max(fetched_at) from page").fetchone()
    con.close()
    checked = {norm(u) for u, status, error, _, external in rows if error != "robots"}
    foreign = {u for u in checked if urlsplit(u).netloc != site_host}
    if foreign:
        raise BenchError(f"gkaudit requested other hosts: {sorted(foreign)[:5]}")
    findings = json.loads((out / "report" / "findings.json").read_text("utf-8"))
    dead = {norm(f["url"]) for f in findings["findings"] if f["rule"] == "GWS-DLINK"}
    from datetime import datetime
    crawl = (datetime.fromisoformat(window[1]) - datetime.fromisoformat(window[0])).total_seconds()
    return {"wall": wall, "checked": checked, "dead": dead, "rows": len(rows),
            "html": sum(1 for r in rows if r[3]), "robots": sum(1 for r in rows if r[2] == "robots"),
            "crawl_seconds": crawl,
            "not_tested": [s.get("not_tested") for s in findings["sites"]],
            "other_findings": sorted({f["rule"] for f in findings["findings"] if f["rule"] != "GWS-DLINK"}),
            "all_findings": {(f["rule"], urlsplit(f.get("url") or "/").path or "/") for f in findings["findings"]}}


def gkaudit_rate(run: dict) -> float:
    """gkaudit's effective per-host rate: its requests to the one host over its crawl window."""
    return run["rows"] / run["crawl_seconds"] if run["crawl_seconds"] > 0 else float("nan")


def lc_rate_for(option: str, gk_run: dict) -> float:
    """LinkChecker's maxrequestspersecond: its mean spacing is 3.5/r, so r = 3.5 × rate gives a mean cap of rate."""
    if option == "match":
        return 3.5 * gkaudit_rate(gk_run)
    try:
        value = float(option)
    except ValueError:
        raise BenchError(f"--lc-rate: a number or `match`, not {option!r}") from None
    if value < 0.001:
        raise BenchError("--lc-rate must be at least 0.001 (LinkChecker's minimum)")
    return value


def linkchecker_config(out: Path, concurrency: int, rate: float, recursion: int) -> Path:
    cfg = out / f"linkcheckerrc-r{recursion}"
    cfg.write_text("\n".join([
        "[checking]",
        f"threads={concurrency}",
        f"maxrequestspersecond={rate:g}",
        f"recursionlevel={recursion}",
        "robotstxt=1",
        "timeout=15",
        "[filtering]",
        "checkextern=0",
        "[output]",
        "verbose=1",
        "status=0",
        "",
    ]), encoding="utf-8")
    cfg.chmod(0o644)  # LinkChecker run as root drops to `nobody` (it reads the file before, but be safe)
    return cfg


def parse_linkchecker_csv(text: str, site_host: str) -> tuple[set[str], set[str], int]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if not lines or not lines[0].startswith("urlname;"):
        raise BenchError(f"LinkChecker wrote no CSV:\n{text[-1500:]}")
    checked, dead, skipped = set(), set(), 0
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";", quotechar='"'):
        url = norm(row["url"] or row["urlname"])
        # `filtered`: another host (checkextern off); `syntax OK`: robots.txt forbids it. Neither is requested.
        if row["result"] in ("filtered", "syntax OK") or urlsplit(url).netloc != site_host:
            skipped += 1
            continue
        checked.add(url)
        if row["valid"] != "True":
            dead.add(url)
    return checked, dead, skipped


def run_linkchecker(start: str, out: Path, concurrency: int, rate: float, site_host: str,
                    urls: list[str] | None = None) -> dict:
    recursion = -1 if urls is None else 0
    cfg = linkchecker_config(out, concurrency, rate, recursion)
    cmd = [str(BIN / "linkchecker"), "-f", str(cfg), "-o", "csv"]
    cmd += ["--stdin"] if urls is not None else [start]
    # exit code 1 = broken links found (expected), 2 = internal error
    wall, stdout, stderr = run_timed(cmd, "LinkChecker", ok_codes=(0, 1),
                                     stdin="\n".join(urls) + "\n" if urls is not None else None, cwd=out)
    (out / f"linkchecker-r{recursion}.csv").write_text(stdout, encoding="utf-8")
    checked, dead, skipped = parse_linkchecker_csv(stdout, site_host)
    return {"wall": wall, "checked": checked, "dead": dead, "skipped": skipped}


def run_linkinator(start: str, out: Path, concurrency: int, disallow: list[str], site_host: str) -> dict:
    skips = ["^(?!" + re.escape(start) + ")"]  # every other host: never leave loopback, like checkextern=0
    skips += [robots_regex(start, rule) for rule in disallow]
    cmd = [str(LINKINATOR), start, "--recurse", "--format", "json", "--verbosity", "debug",
           "--concurrency", str(concurrency), "--timeout", "15000"]
    for s in skips:
        cmd += ["--skip", s]
    wall, stdout, stderr = run_timed(cmd, "linkinator", ok_codes=(0, 1), cwd=out)  # 1 = broken links found
    (out / "linkinator.json").write_text(stdout, encoding="utf-8")
    try:
        result = json.loads(stdout)
    except json.JSONDecodeError:
        raise BenchError(f"linkinator wrote no JSON:\n{(stdout + stderr)[-1500:]}") from None
    checked, dead = set(), set()
    for link in result["links"]:
        url = norm(link["url"])
        if link["state"] == "SKIPPED" or urlsplit(url).netloc != site_host:
            continue
        checked.add(url)
        if link["state"] == "BROKEN":
            dead.add(url)
    return {"wall": wall, "checked": checked, "dead": dead, "skips": skips}


# ------------------------------------------------------------------------------------------ main

def median_run(runs: list[dict]) -> dict:
    """The run with the median wall time; warns when the repeats disagree on what they found."""
    runs = sorted(runs, key=lambda r: r["wall"])
    chosen = dict(runs[len(runs) // 2])
    chosen["walls"] = [r["wall"] for r in runs]
    for r in runs:
        if r["dead"] != chosen["dead"] or r["checked"] != chosen["checked"]:
            print("warning: repeats of one tool differ in links checked or dead links found", file=sys.stderr)
            break
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000, help="HTML pages of the generated site (default 2000)")
    parser.add_argument("--seed", type=int, default=7,
                        help="generator seed (default 7: a site with both planted dead links, homepage and attachment)")
    parser.add_argument("--concurrency", type=int, default=GK_CONCURRENCY,
                        help="LinkChecker threads and linkinator --concurrency (default 32 = gkaudit's)")
    parser.add_argument("--lc-rate", default="match",
                        help="LinkChecker maxrequestspersecond: a number, or `match` (default): 3.5 × gkaudit's measured "
                             "requests/s to the host, so LinkChecker's mean rate cap equals gkaudit's effective rate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the median wall time is reported")
    parser.add_argument("--install", action="store_true", help="install LinkChecker / linkinator when missing")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", help="keep the generated site and every tool's output in this directory")
    args = parser.parse_args()

    if args.lc_rate != "match":
        lc_rate_for(args.lc_rate, {})  # refuse a bad value before anything runs
    if args.repeat < 1:
        raise BenchError("--repeat must be at least 1")
    if args.install:
        install_tools()
    versions = tool_versions()
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="gkaudit-bench-links-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return bench(args, work, versions)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def bench(args, work: Path, versions: dict) -> int:
    site_root = work / "site"
    if site_root.exists():
        shutil.rmtree(site_root)
    t = time.perf_counter()
    generate(1, args.pages, args.seed, site_root)
    site_dirs = [p for p in site_root.iterdir() if (p / "expected.yaml").exists()]
    if len(site_dirs) != 1:
        raise BenchError(f"expected one generated site in {site_root}, found {len(site_dirs)}")
    site_dir = site_dirs[0]
    expected = yaml.safe_load((site_dir / "expected.yaml").read_text("utf-8"))
    truth_paths = sorted(f["path"] for f in expected["findings"] if f["rule"] == "GWS-DLINK")
    print(f"site: {site_dir.name}, {args.pages} HTML pages (seed {args.seed}), generated in "
          f"{time.perf_counter() - t:.1f} s ({work}); planted dead links: {len(truth_paths)}")
    if not truth_paths:
        print("warning: this seed plants no dead link; correctness is only about false positives (try --seed 7)",
              file=sys.stderr)
    add_linkchecker_header(site_dir)

    out = work / "out"
    out.mkdir(exist_ok=True)
    with serve(sites_dir=site_root) as server:
        start = server.urls[site_dir.name]
        host = urlsplit(start).netloc
        truth = {start.rstrip("/") + p for p in truth_paths}
        disallow = robots_disallow(start)
        gk_runs, lc_runs, lcl_runs, li_runs = [], [], [], []
        lc_rates = []
        for i in range(args.repeat):
            gk_runs.append(run_gkaudit(server.sites_file, out, args.pages * 3, host))
            lc_rates.append(lc_rate_for(args.lc_rate, gk_runs[-1]))
            lc_runs.append(run_linkchecker(start, out, args.concurrency, lc_rates[-1], host))
            lcl_runs.append(run_linkchecker(start, out, args.concurrency, lc_rates[-1], host,
                                            urls=sorted(gk_runs[-1]["checked"])))
            li_runs.append(run_linkinator(start, out, args.concurrency, disallow, host))
            print(f"run {i + 1}/{args.repeat}: gkaudit {gk_runs[-1]['wall']:.1f} s, LinkChecker "
                  f"{lc_runs[-1]['wall']:.1f} s, LinkChecker (gkaudit's URLs) {lcl_runs[-1]['wall']:.1f} s, "
                  f"linkinator {li_runs[-1]['wall']:.1f} s")
    gk, lc, lcl, li = (median_run(r) for r in (gk_runs, lc_runs, lcl_runs, li_runs))

    print(f"\ntools: gkaudit (this tree), LinkChecker {versions['linkchecker']}, linkinator {versions['linkinator']} "
          f"(node {versions['node']}); concurrency {args.concurrency} each; robots.txt Disallow {disallow or 'none'}")
    gk_rate = gkaudit_rate(gk)
    print(f"gkaudit: {gk['rows']} requests ({gk['html']} HTML pages) in a {gk['crawl_seconds']:.1f} s crawl = "
          f"{gk_rate:.0f} requests/s to the one host, with --delay 0 (no rate limit, bounded by concurrency)")
    print(f"LinkChecker maxrequestspersecond ({args.lc_rate}): {', '.join(f'{r:.0f}' for r in lc_rates)} per run "
          f"(mean cap = value / 3.5 = {', '.join(f'{r / 3.5:.0f}' for r in lc_rates)} requests/s)")
    rows = [("gkaudit audit", gk), ("LinkChecker", lc), ("linkinator", li),
            ("LinkChecker, gkaudit's URLs", lcl)]
    header = f"{'tool':<28} {'links':>6} {'seconds':>8} {'links/s':>8} {'dead':>5} {'TP':>3} {'FP':>3} {'FN':>3}"
    print("\n" + header + "\n" + "-" * len(header))
    table = []
    for name, r in rows:
        tp, fp, fn = r["dead"] & truth, r["dead"] - truth, truth - r["dead"]
        r["rate"] = len(r["checked"]) / r["wall"]
        table.append({"tool": name, "links": len(r["checked"]), "seconds": round(r["wall"], 2),
                      "seconds_all": [round(w, 2) for w in r["walls"]], "links_per_s": round(r["rate"], 1),
                      "dead": len(r["dead"]), "tp": sorted(tp), "fp": sorted(fp), "fn": sorted(fn)})
        print(f"{name:<28} {len(r['checked']):>6} {r['wall']:>8.2f} {r['rate']:>8.1f} {len(r['dead']):>5} "
              f"{len(tp):>3} {len(fp):>3} {len(fn):>3}")
    print(f"\nground truth (expected.yaml GWS-DLINK): {sorted(truth)}")
    for row in table:
        for kind in ("fp", "fn"):
            for url in row[kind]:
                print(f"  {row['tool']}: {'false positive' if kind == 'fp' else 'false negative'} {url}"
                      + (" (not among the links it checked)" if kind == "fn"
                         and url not in dict(rows)[row['tool']]["checked"] else ""))
    lc_cap = min(lc_rates) / 3.5
    for name, r in (("LinkChecker", lc), ("LinkChecker, gkaudit's URLs", lcl)):
        if len(r["checked"]) / r["wall"] > lc_cap * 0.7:
            print(f"note: {name} ran at {len(r['checked']) / r['wall']:.0f} links/s, close to its mean rate cap "
                  f"({lc_cap:.0f}/s): the cap may bind (compare with --lc-rate 10000)", file=sys.stderr)
    print(f"notes: gkaudit's seconds include its page facts, every rule's check and the reports; it follows the TRS "
          f"createPageHTML pagination the other tools cannot see, hence more links. robots-excluded rows: "
          f"{gk['robots']}. gkaudit findings of other rules: {', '.join(gk['other_findings']) or 'none'}")
    want = {(f["rule"], f["path"]) for f in expected["findings"]}
    missing, extra = sorted(want - gk["all_findings"]), sorted(gk["all_findings"] - want)
    print(f"gkaudit, every rule against expected.yaml: {len(want)} expected, {len(gk['all_findings'])} reported"
          + (f"; missing {missing}" if missing else "") + (f"; not expected {extra}" if extra else "")
          + ("" if missing or extra else ", identical"))
    ratio = gk["rate"] / lc["rate"]
    print(f"same-URLs ratio: {gk['rate'] / lcl['rate']:.2f} (gkaudit links/s ÷ LinkChecker links/s on gkaudit's URL list)")
    print(f"links ratio: {ratio:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"seed": args.seed, "pages": args.pages, "versions": versions,
                                               "concurrency": args.concurrency, "lc_rate": args.lc_rate,
                                               "lc_rates": [round(r, 1) for r in lc_rates],
                                               "gkaudit_requests_per_s": round(gk_rate, 1), "truth": sorted(truth),
                                               "table": table, "links_ratio": round(ratio, 2)},
                                              indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
