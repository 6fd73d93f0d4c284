"""Agreement of gkaudit's link verdicts with the peers' own test suites (issue 16), on local checkouts.

    .venv/bin/python scripts/eval_links_peers.py /tmp/peers/linkchecker /tmp/peers/linkinator /tmp/peers/linkcheck

Each checkout is recognised by its layout: LinkChecker (`tests/checker/data/*.result`: the expected valid/error of
every URL), linkinator (`test/fixtures/<case>/`) and filiph/linkcheck (`test/case*/`). Every page or case is served
from its own loopback address (127.0.2.x, nothing else is asked) and crawled by the real crawler (`gkaudit
audit`); verdicts are read from the stored run with checks/link_verdict.py. For linkinator and linkcheck, whose
expectations live in their test code, the truth of a local link is the fixture itself: the file exists (ok) or not
(broken). Links to other hosts are not fetched (loopback only) and are counted apart. Never run by tests or CI.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from sqlmodel import Session, create_engine, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.link_verdict import classify  # noqa: E402
from store.models import Link, Page  # noqa: E402

GKAUDIT = str(Path(sys.executable).with_name("gkaudit"))
DATADIR = "tests/checker/data"
# Why gkaudit's verdict differs where it does by design (README "Link verdicts").
POLICIES = {
    "unverified": "policy: blocked, request-dependent or passing answers are unverified, never broken",
    "not seen": "policy: not read — obsolete <applet archive/src> (not in the HTML standard), another host "
                "(--external off, loopback only) or a non-web scheme",
    "ok": "policy: gkaudit judges the target's answer, not the link's syntax nor its #anchor (LINK-FRAGMENT does)",
    "broken": "policy: the server's answer is an error for every visitor",
    "soft404": "policy: soft 404 — a short page whose title or text says 404 / 页面不存在 (crawler/facts/signals.py)",
}


def policy(got) -> str:
    if got and "页面不存在" in got[1]:
        return POLICIES["soft404"]
    return POLICIES[got[0] if got else "not seen"]


def key(url: str) -> str:
    """URLs compared as a visitor reads them: percent-decoded, without the fragment."""
    return unquote(url.partition("#")[0])


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path, host: str) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer((host, 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/"


def audit(sites: dict[str, str], work: Path) -> tuple[dict[str, tuple[str, str]], int]:
    """gkaudit's verdict of every URL it stored ({url: ("ok"|"broken"|"unverified", why)}), and how many distinct
    link targets are on other hosts (not fetched)."""
    sites_file = work / "sites.yaml"
    sites_file.write_text(yaml.safe_dump({"sites": [
        {"id": sid, "name": f"对照{sid}", "level": "city", "url": url} for sid, url in sites.items()]}), "utf-8")
    db = f"sqlite:///{work / 'gk.db'}"
    proc = subprocess.run([GKAUDIT, "audit", "--sites", sites_file, "--db", db, "--out", work / "out", "--delay", "0",
                           "--confirm-delay", "0.2", "--max-depth", "2", "--quiet"], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr)
    engine = create_engine(db)
    with Session(engine) as session:
        pages = session.exec(select(Page)).all()
        targets = set(session.exec(select(Link.target_url)).all())
    probes = {p.site: p for p in pages if p.probe}
    found = {}
    for page in pages:
        if not page.probe:
            verdict = classify(page, probes.get(page.site))
            found[key(page.url)] = verdict or ("ok", "")
    engine.dispose()
    other = {t for t in targets if key(t) not in found and not t.startswith("http://127.0.2.")}
    return found, len(other)


def hosts():
    for n in range(1, 250):
        yield f"127.0.2.{n}"


def linkchecker(root: Path, work: Path) -> tuple[list, int]:
    """(comparisons, other-host count) from the .result files of the pages served at their own paths."""
    data = root / DATADIR
    pages = sorted(p for p in data.glob("*.htm*") if (data / f"{p.name}.result").exists())
    servers, sites = {}, {}
    for page, host in zip(pages, hosts()):
        server, base = serve(root, host)
        servers[page.name] = (server, base)
        sites[re.sub(r"\W", "_", page.stem)] = f"{base}{DATADIR}/{page.name}"
    verdicts, other = audit(sites, work)
    rows = []
    for page in pages:
        server, base = servers[page.name]
        port = server.server_address[1]
        text = (data / f"{page.name}.result").read_text("utf-8", "replace")
        for block in text.split("\n\n"):
            lines = [line.strip() for line in block.strip().splitlines()]
            real = next((line[9:] for line in lines if line.startswith("real url ")), None)
            expected = next((line for line in reversed(lines) if line in ("valid", "error")), None)
            if real is None or expected is None:
                continue
            real = real.replace("%(port)d", str(port)).replace("%(datadir)s", DATADIR).replace("%%", "%")
            real = real.replace(f"http://localhost:{port}/", base).partition("#")[0]
            if not real.startswith(base):
                continue
            rows.append((page.name, real, "ok" if expected == "valid" else "broken", verdicts.get(key(real))))
        server.shutdown()
    return rows, other


def file_truth(cases: list[Path], work: Path) -> tuple[list, int]:
    """(comparisons, other-host count): each case on its own address; a local target is ok when its file exists."""
    servers, sites = {}, {}
    for case, host in zip(cases, hosts()):
        servers[case.name] = serve(case, host)
        sites[re.sub(r"\W", "_", case.name)] = servers[case.name][1]
    verdicts, other = audit(sites, work)
    rows = []
    for case in cases:
        server, base = servers[case.name]
        for url, verdict in verdicts.items():
            if not url.startswith(unquote(base)):
                continue
            path = case / urlsplit(url).path.lstrip("/")
            exists = path.is_file() or (path.is_dir() and (path / "index.html").is_file())
            rows.append((case.name, url, "ok" if exists else "broken", verdict))
        server.shutdown()
    return rows, other


def report(name: str, rows: list, other: int) -> None:
    agree = [r for r in rows if r[3] is not None and r[3][0] == r[2]]
    print(f"\n== {name}: {len(agree)}/{len(rows)} agree ({100 * len(agree) / max(len(rows), 1):.1f} %); "
          f"{other} links to other hosts not fetched (loopback only)")
    why = Counter()
    for case, url, expected, got in rows:
        if got is not None and got[0] == expected:
            continue
        kind = got[0] if got else "not seen"
        why[kind] += 1
        print(f"  {case}: {url} peer={expected} gkaudit={kind}{'（' + got[1] + '）' if got and got[1] else ''}"
              f"\n      {policy(got)}")
    if why:
        print("  disagreements:", ", ".join(f"{k} {n}" for k, n in why.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="local checkouts of LinkChecker, linkinator, linkcheck")
    args = parser.parse_args(argv)
    for path in args.paths:
        with tempfile.TemporaryDirectory(prefix="gkaudit-peers-") as tmp:
            work = Path(tmp)
            if (path / DATADIR).is_dir():
                report(f"LinkChecker ({path})", *linkchecker(path, work))
            elif (path / "test" / "fixtures").is_dir():
                cases = sorted(p for p in (path / "test" / "fixtures").iterdir() if (p / "index.html").is_file())
                report(f"linkinator ({path})", *file_truth(cases, work))
            elif (path / "test" / "case0").is_dir():
                cases = sorted(p for p in (path / "test").glob("case*") if (p / "index.html").is_file())
                report(f"filiph/linkcheck ({path})", *file_truth(cases, work))
            else:
                print(f"\n== {path}: not a known peer suite layout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
