"""`make demo`: serve the bundled sample bureau sites on loopback and audit them (SQLite, no setup)."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.server import serve  # noqa: E402
from store import resolve_db_url, sqlite_file  # noqa: E402

SITES_FILE = ROOT / "config" / "sites.example.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", default="2026-11-20", help="the sample sites are dated for this day")
    parser.add_argument("--out", default="out/demo")
    parser.add_argument("--db", default="out/demo.db")
    args = parser.parse_args()
    gkaudit = str(Path(sys.executable).with_name("gkaudit"))
    db_file = sqlite_file(resolve_db_url(args.db))
    if db_file is not None:  # the demo starts from an empty database every time
        db_file.unlink(missing_ok=True)
    with serve(port=8808):
        print(f"样例站点已在 127.0.0.x:8808 上启动；开始检查 {SITES_FILE.relative_to(ROOT)}", flush=True)
        code = subprocess.call([gkaudit, "audit", "--sites", str(SITES_FILE), "--as-of", args.as_of,
                                "--out", args.out, "--db", args.db, "--delay", "0"])
    if code == 0:
        print(f"\n打开报告：{Path(args.out).resolve() / 'index.html'}")
        command = Path(gkaudit).relative_to(ROOT) if Path(gkaudit).is_relative_to(ROOT) else gkaudit
        print(f"检查记录：{command} runs --db {args.db}")
        print(f"整改台账：{command} ledger list --db {args.db}")
    return code


if __name__ == "__main__":
    sys.exit(main())
