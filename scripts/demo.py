"""`make demo`: serve the bundled sample bureau sites on loopback and audit them (SQLite, no setup), then create a
demo supervisor and a demo webmaster for `gkaudit serve` over the same database and print how to sign in."""
from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.server import serve  # noqa: E402
from store import resolve_db_url, sqlite_file  # noqa: E402

SITES_FILE = ROOT / "config" / "sites.example.yaml"
# (login, role, scope, display): the supervisor answers for the city and county bureaus under 江南省生态环境厅,
# the webmaster for one of them
DEMO_USERS = (("demo-jianguan", "supervisor", "江南省生态环境厅", "演示监管员"),
              ("demo-zhanzhang", "webmaster", "sthjj-hanweb", "演示网站管理员"))


def demo_accounts(db_url: str) -> list[str]:
    """Create the demo accounts with fresh passwords; the Chinese lines that tell the user how to sign in."""
    from store import connect
    from store.users import add_user

    engine = connect(db_url)
    lines = ["网页服务演示账号（密码只显示这一次）："]
    for name, role, scope, display in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        key = "sites" if role == "webmaster" else "supervisors"
        account = add_user(engine, name, role, password, display, **{key: [scope]}, actor="make demo")
        what = f"站点 {scope}" if role == "webmaster" else f"主管单位 {scope}"
        lines.append(f"  {account.role_label}：用户名 {name}  密码 {password}（{what}）")
    engine.dispose()
    return lines


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
        command = Path(gkaudit).relative_to(ROOT) if Path(gkaudit).is_relative_to(ROOT) else gkaudit
        print(f"\n打开报告：{Path(args.out).resolve() / 'index.html'}")
        print(f"检查记录：{command} runs --db {args.db}")
        print(f"整改台账：{command} ledger list --db {args.db}")
        print("\n" + "\n".join(demo_accounts(args.db)))
        print(f"启动网页服务：{command} serve --db {args.db}，然后在浏览器打开 http://127.0.0.1:8000/")
        python = Path(sys.executable).relative_to(ROOT) if Path(sys.executable).is_relative_to(ROOT) else sys.executable
        print("网站管理员反馈「已整改」后由服务自动复查；要让复查访问到样例站点，另开终端运行："
              f"{python} -m fixtures.server --sites-dir fixtures/sites --port 8808")
    return code


if __name__ == "__main__":
    sys.exit(main())
