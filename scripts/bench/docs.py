"""`make bench-docs`: how fast gkaudit reads attachments, against pdftotext (poppler) on the same files, in one run.

A set of attachments shaped like a bureau's publications is generated from a seed (scripts/bench/attachments.py;
cached under .bench/docs/, made again when the generator changes). Each measurement runs in a process of its own,
started from here, so that its peak RSS is its own:

- ``read``: every file read in-process by its reader (crawler/documents: read_pdf, read_xlsx, …), CPU time per
  file (process_time), then what the crawl keeps of it (crawler.documents.stored.stored: facts, masking);
- ``pdftotext``: ``pdftotext -enc UTF-8 FILE -`` on every PDF, one process per file as one would run it; CPU from
  RUSAGE_CHILDREN. Its start-up is measured on a one-page PDF and shown, not subtracted;
- ``bounded``: crawler.documents.sandbox.read_bounded on every file (a forked child per document with its time and
  memory limits, the path the crawl takes): wall time, the parent's and the children's CPU, the readers' peak RSS;
- ``document``: crawler.documents.stored.read_document (read_bounded, then facts), what the crawl calls: documents/s.

``read`` and ``pdftotext`` alternate ``--repeat`` times (median reported), as their ratio is a target. Per-core
figures are CPU time, documents/s is wall time (one document at a time). Then, unless ``--no-audit``,
scripts/bench/run.py audits a generated province with and without documents (its repeat audit counts the documents
read again): at ``--delay 0`` the audit is CPU-bound, so "slower" is judged on the CPU seconds of the audit process
and the reader processes it waited for (wait4), which other work on the machine does not inflate as it does wall
time. Last, scripts/eval_documents.py scores the real development set when ../shared/data/attachments exists.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import attachments  # noqa: E402  (scripts/bench/attachments.py)

BIN = Path(sys.executable).parent
CACHE = ROOT / ".bench" / "docs"
DEV_SET = ROOT.parent / "shared" / "data" / "attachments"
XLWT_SPEC = "xlwt>=1.3,<2"  # keep in step with pyproject.toml [project.optional-dependencies] bench
# classes of the set, in the order the table prints them
CLASSES = {"pdf": "PDF, fonts embedded", "cid": "PDF, CID font not embedded", "scan": "PDF, scanned only",
           "xlsx": "XLSX", "xls": "XLS", "docx": "DOCX"}
PDF_TEXT = ("pdf", "cid")  # the PDFs with a text layer: what the pages/s target is about
TARGET_PAGES_PER_S, TARGET_RATIO, TARGET_AUDIT, TARGET_FIELD = 200.0, 1.5, 0.30, 95.0


def klass(item) -> str:
    return item["kind"] if item["kind"] in ("cid", "scan") else ("pdf" if item["format"] == "pdf" else item["format"])


def _printed(texts) -> int:
    return sum(len("".join(t.split())) for t in texts)


# ------------------------------------------------------------------------------------------ phases (child processes)

def phase_read(folder: Path, items: list[dict]) -> dict:
    from crawler.documents.sandbox import _reader, detect_format
    from crawler.documents.stored import stored

    rows = []
    for item in items:
        data = (folder / item["name"]).read_bytes()
        reader = _reader(detect_format(data, item["name"]))
        start = time.process_time()
        doc = reader(data)
        read = time.process_time() - start
        start = time.process_time()
        stored(doc)
        facts = time.process_time() - start
        rows.append({"name": item["name"], "cpu": read, "facts": facts, "pages": doc.pages,
                     "printed": _printed(doc.page_texts), "unreadable": doc.unreadable})
    return {"rows": rows}


def phase_pdftotext(folder: Path, items: list[dict]) -> dict:
    rows = []
    for item in items:
        if item["format"] != "pdf":
            continue
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(folder / item["name"]), "-"], capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        text = out.stdout.decode("utf-8", "replace")
        rows.append({"name": item["name"], "wall": wall, "cpu": _cpu(after) - _cpu(before),
                     "printed": _printed([text]), "ok": out.returncode == 0})
    return {"rows": rows, "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def phase_bounded(folder: Path, items: list[dict], call: str) -> dict:
    from crawler.documents.sandbox import read_bounded
    from crawler.documents.stored import read_document

    rows = []
    for item in items:
        data = (folder / item["name"]).read_bytes()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, start = time.process_time(), time.perf_counter()
        if call == "bounded":
            doc = read_bounded(data, item["name"], None)
            unreadable = doc.unreadable
        else:
            unreadable = read_document(data, f"http://127.0.0.1/fj/{item['name']}", None)["unreadable"]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows.append({"name": item["name"], "wall": wall, "cpu": cpu, "child_cpu": _cpu(after) - _cpu(before),
                     "unreadable": unreadable})
    return {"rows": rows, "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_phase(name: str, folder: Path) -> dict:
    """One phase in its own process (its peak RSS is its own): the JSON it prints."""
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--set", str(folder)], capture_output=True)
    if out.returncode:
        raise SystemExit(f"bench-docs: phase {name} failed:\n{out.stderr.decode('utf-8', 'replace')[-3000:]}")
    return json.loads(out.stdout)


def _phase_main(name: str, folder: Path) -> None:
    items = json.loads((folder / "manifest.json").read_text())
    if name == "read":
        result = phase_read(folder, items)
    elif name == "pdftotext":
        result = phase_pdftotext(folder, items)
    else:
        result = phase_bounded(folder, items, name)
    result["self_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(result, sys.stdout)


def pdftotext_startup(runs: int = 20) -> float:
    """CPU seconds of one pdftotext process on a one-page PDF: its start-up, paid per file."""
    from reportlab.pdfgen import canvas

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.pdf"
        c = canvas.Canvas(str(path), invariant=1)
        c.drawString(72, 720, "1")
        c.save()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for _ in range(runs):
            subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        return (_cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(before)) / runs


# ------------------------------------------------------------------------------------------ tools

def install_tools() -> None:
    """xlwt (writes the XLS files) into the venv; poppler-utils and the CJK font come from the Makefile (apt-get)."""
    try:
        import xlwt  # noqa: F401
    except ImportError:
        print(f"installing {XLWT_SPEC} into {BIN.parent}")
        subprocess.run([str(BIN / "python"), "-m", "pip", "install", "-q", XLWT_SPEC], check=True)


def check_tools() -> str:
    if not shutil.which("pdftotext"):
        raise SystemExit("bench-docs: pdftotext not found (apt-get install poppler-utils; `make bench-docs` does it)")
    if attachments.font_file() is None:
        raise SystemExit("bench-docs: no CJK TrueType font to embed (apt-get install fonts-droid-fallback; "
                         "`make bench-docs` does it)")
    try:
        import xlwt  # noqa: F401
    except ImportError:
        raise SystemExit(f"bench-docs: xlwt not installed ({BIN / 'pip'} install '{XLWT_SPEC}', or --install)") from None
    out = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
    return (out.stdout + out.stderr).splitlines()[0].strip()


# ------------------------------------------------------------------------------------------ audit and dev set

AUDIT_WALL = re.compile(r"gkaudit audit \(crawl, store, checks, reports\): (\d+) pages .*? in ([\d.]+) s .*?"
                        r"CPU ([\d.]+) ms/page")
AUDIT_DOCS = re.compile(r"documents: (\d+) read in the first audit; repeat: (\d+) reused, (\d+) read again")


def audit(sites: int, pages: int, documents: str) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "scripts/bench/run.py"), "--skip-baseline", "--sites", str(sites),
                          "--pages", str(pages), "--documents", documents], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"bench-docs: scripts/bench/run.py failed:\n{out.stderr[-3000:]}")
    wall = AUDIT_WALL.search(out.stdout)
    docs = AUDIT_DOCS.search(out.stdout)
    pages = int(wall.group(1))
    return {"pages": pages, "wall": float(wall.group(2)), "cpu": pages * float(wall.group(3)) / 1000,
            "documents": tuple(int(g) for g in docs.groups()) if docs else None}


def dev_set() -> float | None:
    if not DEV_SET.is_dir():
        return None
    out = subprocess.run([sys.executable, str(ROOT / "scripts/eval_documents.py"), "--dir", str(DEV_SET)],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    found = re.search(r"lowest field: ([\d.]+)%", out.stdout)
    return float(found.group(1)) if found else None


# ------------------------------------------------------------------------------------------ report

def sums(rows: list[dict], items: dict[str, dict], keys: tuple[str, ...]) -> dict[str, dict]:
    """Per class of the set: files, pages (from the manifest) and the sum of each key."""
    out: dict[str, dict] = {}
    for row in rows:
        item = items[row["name"]]
        entry = out.setdefault(klass(item), {"files": 0, "pages": 0, **{k: 0.0 for k in keys}})
        entry["files"] += 1
        entry["pages"] += item["pages"]
        for k in keys:
            entry[k] += row[k]
    return out


def total(per_class: dict[str, dict], classes) -> dict:
    out: dict = {}
    for name in classes:
        for k, v in per_class.get(name, {}).items():
            out[k] = out.get(k, 0) + v
    return out


def median_run(runs: list[dict], items: dict[str, dict], keys: tuple[str, ...]) -> dict[str, dict]:
    """Per class, the median over the repeats of each summed key (files and pages are the same in every run)."""
    per_run = [sums(run["rows"], items, keys) for run in runs]
    out = {}
    for name in per_run[0]:
        out[name] = dict(per_run[0][name])
        for k in keys:
            out[name][k] = statistics.median(r[name][k] for r in per_run)
    return out


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "MISSED")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500, help="attachments in the generated set")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of `read` and `pdftotext` (median)")
    parser.add_argument("--install", action="store_true", help="pip-install xlwt into the venv when missing")
    parser.add_argument("--no-audit", action="store_true", help="skip the province audits (documents on/off)")
    parser.add_argument("--audit-sites", type=int, default=20)
    parser.add_argument("--audit-pages", type=int, default=200)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--set", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase_main(args.phase, Path(args.set))
        return 0
    if args.install:
        install_tools()
    poppler = check_tools()
    start = time.perf_counter()
    folder, manifest = attachments.ensure(CACHE, args.count, args.seed)
    items = {i.name: {"name": i.name, "kind": i.kind, "format": i.format, "pages": i.pages} for i in manifest}
    size = sum((folder / name).stat().st_size for name in items)
    print(f"set: {len(items)} attachments, {size / 1e6:.1f} MB ({folder.relative_to(ROOT)}; "
          f"ready in {time.perf_counter() - start:.1f} s); {poppler}")

    reads, texts = [], []
    for _ in range(args.repeat):
        reads.append(run_phase("read", folder))
        texts.append(run_phase("pdftotext", folder))
    bounded = run_phase("bounded", folder)
    stored = run_phase("document", folder)
    startup = pdftotext_startup()

    read = median_run(reads, items, ("cpu", "facts", "printed"))
    text = median_run(texts, items, ("cpu", "wall", "printed"))
    bound = sums(bounded["rows"], items, ("wall", "cpu", "child_cpu"))
    docs = sums(stored["rows"], items, ("wall", "cpu", "child_cpu"))

    print()
    print("| class | files | pages | gkaudit pages/s per core (CPU ms/page) | pdftotext pages/s per core (CPU ms/page) "
          "| ratio | printed chars gkaudit / pdftotext | read_bounded documents/s (ms/doc wall) "
          "| read_document documents/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows_out = [(name, CLASSES[name], [name]) for name in CLASSES if name in read]
    rows_out += [("text", "**PDF with text (targets)**", list(PDF_TEXT)), ("all", "all files", list(CLASSES))]
    ratio_text = pages_per_s = None
    for key, label, classes in rows_out:
        r, t, b, d = (total(x, classes) for x in (read, text, bound, docs))
        pages = r.get("pages", 0)
        per_page = 1000 * r["cpu"] / pages if pages else None
        cells = [label, str(r["files"]), f"{pages:,}" if pages else "—"]
        cells.append(f"{fmt(pages / r['cpu'])} ({per_page:.2f})" if pages else f"{fmt(1000 * r['cpu'] / r['files'], 2)} ms/file")
        if t and t.get("pages"):
            t_page = 1000 * t["cpu"] / t["pages"]
            ratio = per_page / t_page
            cells += [f"{fmt(t['pages'] / t['cpu'])} ({t_page:.2f})", f"{ratio:.2f}",
                      f"{r['printed']:,.0f} / {t['printed']:,.0f}"]
            if key == "text":
                ratio_text, pages_per_s = ratio, pages / r["cpu"]
        else:
            cells += ["—", "—", "—"]
        cells.append(f"{fmt(b['files'] / b['wall'])} ({1000 * b['wall'] / b['files']:.1f})")
        cells.append(fmt(d["files"] / d["wall"]))
        print("| " + " | ".join(cells) + " |")

    every = total(read, list(CLASSES))
    b_all, d_all = total(bound, list(CLASSES)), total(docs, list(CLASSES))
    n = every["files"]
    fork_cpu = (b_all["cpu"] + b_all["child_cpu"] - every["cpu"]) / n
    fork_wall = (b_all["wall"] - every["cpu"]) / n
    print()
    print(f"- in-process readers, all {n} files: {every['cpu']:.2f} s CPU; facts and masking (stored()) "
          f"{every['facts']:.2f} s CPU more ({1000 * every['facts'] / n:.1f} ms/document)")
    print(f"- read_bounded (fork + limits per document): {b_all['wall']:.2f} s wall = {n / b_all['wall']:.1f} "
          f"documents/s; parent CPU {b_all['cpu']:.2f} s, readers' CPU {b_all['child_cpu']:.2f} s; overhead per document "
          f"against the in-process read: {1000 * fork_wall:.1f} ms wall, {1000 * fork_cpu:.1f} ms CPU")
    print(f"- read_document (read_bounded + facts, what the crawl calls): {d_all['wall']:.2f} s wall = "
          f"{n / d_all['wall']:.1f} documents/s")
    print(f"- pdftotext start-up (one-page PDF): {1000 * startup:.1f} ms CPU per file, included in its figures; "
          f"its wall time on the PDFs: {total(text, ['pdf', 'cid', 'scan'])['wall']:.2f} s")
    print(f"- peak RSS: in-process readers {reads[-1]['self_maxrss_kb'] / 1024:.0f} MB; read_bounded parent "
          f"{bounded['self_maxrss_kb'] / 1024:.0f} MB, largest reader child {bounded['children_maxrss_kb'] / 1024:.0f} MB "
          f"(a forked child counts the parent's pages it maps); read_document parent "
          f"{stored['self_maxrss_kb'] / 1024:.0f} MB, child {stored['children_maxrss_kb'] / 1024:.0f} MB; pdftotext "
          f"{texts[-1]['children_maxrss_kb'] / 1024:.0f} MB")
    unreadable = sorted({(r["name"], r["unreadable"]) for r in bounded["rows"] if r["unreadable"]})
    print(f"- unreadable: {len(unreadable)}" + "".join(f"\n  {name}: {why}" for name, why in unreadable[:10]))

    audit_ratio = repeat_ok = field = None
    if not args.no_audit:
        on = audit(args.audit_sites, args.audit_pages, "on")
        off = audit(args.audit_sites, args.audit_pages, "off")
        audit_ratio = on["cpu"] / off["cpu"] - 1
        print(f"- province audit {args.audit_sites} × {args.audit_pages} (scripts/bench/run.py --skip-baseline, "
              f"--delay 0: CPU-bound): documents on {on['cpu']:.1f} s CPU ({on['wall']:.1f} s wall), off "
              f"{off['cpu']:.1f} s CPU ({off['wall']:.1f} s wall): {100 * audit_ratio:+.0f} % CPU, "
              f"{100 * (on['wall'] / off['wall'] - 1):+.0f} % wall (wall follows the machine's other load)")
        if on["documents"]:
            first, reused, again = on["documents"]
            repeat_ok = again == 0
            print(f"- repeat audit: {first} documents read in the first audit; the repeat reused {reused}, "
                  f"read {again} again")
    field = dev_set()
    if field is not None:
        print(f"- development set ({DEV_SET}): lowest labelled field {field:.1f} %")

    print()
    print("| target | figure | |")
    print("|---|---|---|")
    print(f"| ≥ {TARGET_PAGES_PER_S:.0f} PDF pages/s per core (text) | "
          + ("no text PDF" if pages_per_s is None else fmt(pages_per_s)) + " | "
          f"{mark(None if pages_per_s is None else pages_per_s >= TARGET_PAGES_PER_S)} |")
    print(f"| within {TARGET_RATIO}× of pdftotext (CPU per page) | "
          + ("no text PDF" if ratio_text is None else f"{ratio_text:.2f}×") + " | "
          f"{mark(None if ratio_text is None else ratio_text <= TARGET_RATIO)} |")
    print(f"| audit with attachments ≤ {100 * TARGET_AUDIT:.0f} % slower than without (CPU) | "
          + (f"{100 * audit_ratio:+.0f} %" if audit_ratio is not None else "not run") + f" | "
          f"{mark(None if audit_ratio is None else audit_ratio <= TARGET_AUDIT)} |")
    print(f"| a repeat audit parses no unchanged document | "
          + ("not run" if repeat_ok is None else f"{on['documents'][2]} read again") + f" | {mark(repeat_ok)} |")
    print(f"| dev set: every labelled field ≥ {TARGET_FIELD:.0f} % | "
          + ("no dev set" if field is None else f"lowest {field:.1f} %") + f" | "
          f"{mark(None if field is None else field >= TARGET_FIELD)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
