"""How well gkaudit reads real attachments: per labelled field, how many documents it gets right.

    .venv/bin/python scripts/eval_documents.py [--dir ../shared/data/attachments] [-v]

The development set (real budgets and final accounts made by WPS, a WPS-made XLS template, a 年报, a Word 97 DOC,
OFD files, an encrypted PDF; `labels.tsv` per folder, read by hand) lives outside the repository: this script is
for measuring, never for the tests. Each file is read as the crawl reads it (crawler.documents.sandbox.read_bounded:
a bounded worker process; PDFs directly with pypdfium2 where that is missing), then crawler.documents.facts gives
the facts the rules use. A field counts as right when it equals the label:

- budget/: doc_type (a `template` label: the facts say `template`), fiscal_year, unit, sangong_items and sections
  (the same set), sangong_change_explained, function_code_max_digits, economic_code_max_digits, pages;
- annual_report/: year, sections (the same set of 一 … 六), pages;
- eia/, ofd_wps/: pages (a label without a count is skipped) and phrases (both labelled phrases occur in the text,
  spaces aside).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from crawler.documents.facts import REPORT_SECTIONS, document_facts
from crawler.documents.model import Document

try:
    from crawler.documents.sandbox import read_bounded
except ImportError:  # the reader is not there yet: PDFs read directly
    read_bounded = None

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = {name.split("、")[0]: name for name in REPORT_SECTIONS}


def read(path: Path) -> Document:
    if read_bounded is not None:
        return read_bounded(path.read_bytes(), path.name, None)
    if path.suffix.lower() != ".pdf":
        return Document(format=path.suffix.lstrip("."), unreadable="没有读取器")
    import pypdfium2  # only for development, before the sandboxed reader exists

    pdf = pypdfium2.PdfDocument(str(path))
    texts = [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in pdf]
    return Document(format="pdf", pages=len(texts), page_texts=texts)


def _label(value: str | None) -> str:
    """A label without its hand-written aside: `上海市普陀区XX单位 (placeholder)` → 上海市普陀区XX单位."""
    return (value or "").split(" (")[0].strip()


def _set(value: str | None) -> set[str]:
    return {v for v in _label(value).split("|") if v}


def _count(value: str | None) -> int | None:
    m = re.match(r"\d+", value or "")
    return int(m.group()) if m else None


def budget_checks(row: dict, doc: Document, facts: dict) -> dict[str, bool]:
    got = facts.get("budget") or {}
    template = row["doc_type"] == "template"
    checks = {
        "doc_type": bool(got.get("template")) if template else got.get("doc_type") == row["doc_type"],
        "fiscal_year": got.get("fiscal_year") == int(row["fiscal_year"]),
        "unit": got.get("unit") == _label(row["unit"]),
        "sangong_items": set(got.get("sangong_items") or ()) == _set(row["sangong_items"]),
        # a template's explanation is its placeholder wording (主要原因是……): it is there
        "sangong_change_explained": got.get("sangong_change_explained") == (row["sangong_change_explained"] != "no"),
        "sections": set(got.get("sections") or ()) == _set(row["sections"]),
    }
    for field in ("function_code_max_digits", "economic_code_max_digits"):
        if row[field].isdigit():
            checks[field] = got.get(field) == int(row[field])
    if (pages := _count(row["pages"])) is not None:
        checks["pages"] = doc.pages == pages
    return checks


def report_checks(row: dict, doc: Document, facts: dict) -> dict[str, bool]:
    got = facts.get("annual_report") or {}
    checks = {"year": got.get("year") == int(row["year"]),
              "sections": set(got.get("sections") or ()) == {NUMBERS[n] for n in _set(row["sections_present"])}}
    if (pages := _count(row["pages"])) is not None:
        checks["pages"] = doc.pages == pages
    return checks


def other_checks(row: dict, doc: Document, facts: dict) -> dict[str, bool]:
    text = re.sub(r"\s", "", doc.text)
    checks = {"phrases": all(re.sub(r"\s", "", row[k]) in text for k in ("phrase_1", "phrase_2"))}
    if (pages := _count(row["pages"])) is not None:
        checks["pages"] = doc.pages == pages
    return checks


CHECKS = {"budget": budget_checks, "annual_report": report_checks}


def evaluate(folder: Path, verbose: bool = False) -> dict[str, dict[str, list[bool]]]:
    """{folder: {field: [right?, …]}} over the labelled files."""
    score: dict[str, dict[str, list[bool]]] = {}
    for labels in sorted(folder.glob("*/labels.tsv")):
        kind = labels.parent.name
        for row in csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"):
            path = labels.parent / row["file"]
            doc = read(path)
            facts = {} if doc.unreadable else document_facts(doc)
            checks = CHECKS.get(kind, other_checks)(row, doc, facts)
            for field, ok in checks.items():
                score.setdefault(kind, {}).setdefault(field, []).append(ok)
            wrong = [f for f, ok in checks.items() if not ok]
            print(f"- {kind}/{row['file']}: {doc.format or '?'} {doc.pages} 页"
                  f"{'，无法读取：' + doc.unreadable if doc.unreadable else ''}"
                  f"{'，不符：' + '、'.join(wrong) if wrong else '，全部相符'}")
            if verbose:
                shown = {k: v for k, v in facts.items() if k not in ("headings",)}
                print(f"    {shown}")
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared/data/attachments")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the facts of each file")
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"找不到开发集目录：{args.dir}", file=sys.stderr)
        return 2
    score = evaluate(args.dir, args.verbose)
    print("\n| folder | field | correct |\n|---|---|---|")
    worst = 100.0
    for kind, fields in score.items():
        for field, results in fields.items():
            share = 100 * sum(results) / len(results)
            worst = min(worst, share)
            print(f"| {kind} | {field} | {sum(results)}/{len(results)} ({share:.1f}%) |")
    print(f"\nlowest field: {worst:.1f}% (target ≥ 95%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
