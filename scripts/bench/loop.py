"""`make bench-loop`: how long from a bureau's 「已整改」 to the ledger's decision (销号, or 复查未通过), with the
recheck worker of `gkaudit serve`, within politeness (the sites audited and rechecked with a 1 s delay per host).

Two bundled sample sites on loopback are audited; then, at once (a morning's burst of feedback), every open item
of both is reported fixed, one of them really fixed on the site (sthjt-trs's footer). A Worker thread (as
`gkaudit serve` runs it, woken by the feedback) rechecks the queue; each item's time from feedback to decision is
printed, with the median and the largest, and the baseline measured in the same run: one `gkaudit recheck --site`
of the same site, by hand. Figures go to docs/performance.md "整改闭环".
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.resources import RULES_DIR  # noqa: E402
from fixtures.server import serve  # noqa: E402
from gkaudit.worker import Worker  # noqa: E402
from store import connect, ledger  # noqa: E402

SITES = ("sthjt-trs", "sthjj-hanweb")
AS_OF = "2026-11-20"
FOOTER_OLD = '苏ICP备10023456号-1</a></p>'
FOOTER_FIXED = ('苏ICP备10023456号-1</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode='
                '32010202000123">苏公网安备 32010202000123号</a></p>')


def gkaudit(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from gkaudit.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=1.0, help="politeness: seconds between requests to a host")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gkaudit-bench-loop-"))
    try:
        for site in SITES:
            shutil.copytree(ROOT / "fixtures" / "sites" / site, work / "sites" / site)
        db = f"sqlite:///{work / 'gk.db'}"
        with serve(work / "sites") as server:
            started = time.monotonic()
            done = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "audit", "--db",
                           db, "--delay", args.delay)
            assert done.returncode == 0, done.stderr
            audit_seconds = time.monotonic() - started
            started = time.monotonic()
            by_hand = gkaudit("recheck", "--site", SITES[0], "--out", work / "by-hand", "--db", db)
            assert by_hand.returncode == 0, by_hand.stderr
            baseline = time.monotonic() - started
            engine = connect(db)
            index = work / "sites" / SITES[0] / "root" / "index.html"
            index.write_text(index.read_text(encoding="utf-8").replace(FOOTER_OLD, FOOTER_FIXED), encoding="utf-8")
            worker = Worker(db, RULES_DIR, work / "rechecks", interval=60)
            worker.start()
            items = [i for site in SITES for i in ledger.list_items(engine, site=site, status="open")]
            reported = {}
            for item in items:
                ledger.feedback(engine, item.id, "已整改", "bench")
                reported[item.id] = time.monotonic()
            worker.wake()
            decided: dict[int, float] = {}
            deadline = time.monotonic() + 3600
            while len(decided) < len(items) and time.monotonic() < deadline:
                time.sleep(0.5)
                for item_id, status in ledger.statuses_of(engine, list(reported)).items():
                    if status != "feedback_received" and item_id not in decided:
                        decided[item_id] = time.monotonic() - reported[item_id]
            worker.stop()
            closed = sum(s == "closed" for s in ledger.statuses_of(engine, list(reported)).values())
            engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    waits = sorted(decided.values())
    print(f"sites {', '.join(SITES)}, delay {args.delay:g} s; audit {audit_seconds:.1f} s")
    print(f"baseline: one `gkaudit recheck --site {SITES[0]}` by hand {baseline:.1f} s")
    print(f"feedback on {len(items)} items at once; decided {len(waits)} (closed {closed}, reopened "
          f"{len(waits) - closed}); undecided {len(items) - len(waits)}")
    if waits:
        median = statistics.median(waits)
        print(f"已整改 → decision: median {median:.1f} s ({median / baseline:.2f}× baseline), "
              f"max {waits[-1]:.1f} s ({waits[-1] / baseline:.2f}× baseline); target median ≤ 900 s")
    return 0 if len(waits) == len(items) else 1


if __name__ == "__main__":
    sys.exit(main())
