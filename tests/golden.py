"""Golden audits: the findings.json of the bundled sample sites and of a generated province, recorded once and
compared on every test run, so a change that is meant to keep behaviour (a refactoring, a speed-up) proves it.

Each audit serves its sites on a fixed port, so URLs and finding ids are the same from run to run; the time a
page was fetched is the only part of findings.json left out of the comparison.

    .venv/bin/python -m tests.golden --update      # record again, after a change that is meant to alter findings
"""
from __future__ import annotations

import argparse
import fcntl
import gzip
import json
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fixtures import generator  # noqa: E402
from fixtures.server import serve  # noqa: E402
from tests.conftest import AS_OF, gkaudit  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
# name → (sites dir or None for the bundled ones, port, province to generate: (sites, pages, seed) or None)
AUDITS = {
    "sample-sites": (None, 18901, None),
    "province-20x200": ("generated", 18902, (20, 200, 1)),
}
# The fixed ports are the machine's: two checkouts (or a CI run beside a developer's tests) take turns, or one
# would audit the other's sites.
PORTS_LOCK = Path(tempfile.gettempdir()) / "gkaudit-golden-ports.lock"


def audit(name: str, work: Path) -> dict:
    """Serve the sites of `name` and audit them as a user would; returns findings.json."""
    sites_dir, port, province = AUDITS[name]
    if province is not None:
        sites_dir = work / "province"
        generator.generate(*province, sites_dir, AS_OF)
    with open(PORTS_LOCK, "a") as lock, serve_locked(lock, sites_dir, port) as server:
        proc = gkaudit("audit", "--sites", server.sites_file, "--as-of", AS_OF, "--out", work / "report",
                       "--db", f"sqlite:///{work / 'gk.db'}", "--delay", "0", "--progress", "0", timeout=900)
    if proc.returncode != 0:
        raise AssertionError(f"gkaudit audit of {name} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return normalise(json.loads((work / "report" / "findings.json").read_text(encoding="utf-8")))


@contextmanager
def serve_locked(lock, sites_dir, port):
    """The fixture server on the golden port, once this process holds the machine-wide lock of the ports."""
    fcntl.flock(lock, fcntl.LOCK_EX)
    with serve(sites_dir=sites_dir, port=port) as server:
        yield server


def normalise(found: dict) -> dict:
    """findings.json without what differs between two audits of the same pages: the time a page was fetched."""
    for finding in found["findings"]:
        if "fetched_at" in (finding.get("evidence") or {}):
            finding["evidence"]["fetched_at"] = "<fetched_at>"
    return found


def path_of(name: str) -> Path:
    return GOLDEN / f"{name}.json.gz"


def load(name: str) -> dict:
    return json.loads(gzip.decompress(path_of(name).read_bytes()).decode("utf-8"))


def save(name: str, found: dict) -> Path:
    GOLDEN.mkdir(exist_ok=True)
    text = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path_of(name).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return path_of(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="record the golden findings again")
    parser.add_argument("names", nargs="*", default=list(AUDITS))
    args = parser.parse_args()
    for name in args.names:
        with tempfile.TemporaryDirectory(prefix=f"gkaudit-golden-{name}-") as work:
            found = audit(name, Path(work))
        if args.update:
            print(f"{name}: {len(found['findings'])} findings → {save(name, found)}")
        else:
            same = found == load(name)
            print(f"{name}: {len(found['findings'])} findings, {'identical' if same else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
