"""OCR against reality: the development set's real PDFs, turned into scans, read back with `--ocr`.

Every PDF of the development set that has a text layer (`../shared/data/attachments`: three WPS-made budgets and final
accounts, a 年报, a standard) is rendered page by page to a grey picture at SCAN_DPI and saved as a PDF of pictures
only — what a bureau's scanner makes of the printed document. That scan is read as the crawl reads it
(crawler.documents.sandbox.read_bounded with OcrSettings), and compared with the original's text layer:

- pages recognised at or above the confidence threshold (the ones the rules may use), and their mean confidence;
- character recall: the share of the text layer's Chinese characters and digits found, in order, in the recognised
  text (difflib matching blocks), over the pages used;
- the labelled facts of eval_documents.py (doc_type, fiscal_year, 三公 items, sections, …) read from the OCR text.

For development only (the dev set is not in the repository); the project's tests use generated scans.
Usage: .venv/bin/python scripts/eval_ocr.py [--dir ../shared/data/attachments] [--max-pages 40]
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pypdfium2  # noqa: E402

from crawler.documents.facts import document_facts  # noqa: E402
from crawler.documents.ocr import OcrSettings  # noqa: E402
from crawler.documents.sandbox import read_bounded  # noqa: E402
from eval_documents import CHECKS  # noqa: E402

SCAN_DPI = 200  # what office scanners default to for documents
KEEP = re.compile(r"[\u4e00-\u9fff0-9]")


def as_scan(data: bytes, max_pages: int) -> tuple[bytes, list[str], int]:
    """A PDF of pictures only made from `data`'s first pages, those pages' text layer, and the page count of
    `data` (a scan of fewer pages cannot be scored against the whole document's labels)."""
    pdf = pypdfium2.PdfDocument(data)
    images, texts = [], []
    for index in range(min(len(pdf), max_pages)):
        page = pdf[index]
        texts.append(page.get_textpage().get_text_range())
        images.append(page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L"))
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:])
    return out.getvalue(), texts, len(pdf)


def recall(truth: str, read: str) -> tuple[int, int]:
    """(characters of `truth` found in order in `read`, characters of `truth`), Chinese characters and digits only."""
    a, b = "".join(KEEP.findall(truth)), "".join(KEEP.findall(read))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(a)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared/data/attachments")
    parser.add_argument("--max-pages", type=int, default=40, help="pages per document made into a scan")
    parser.add_argument("--confidence", type=int, default=60)
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"找不到开发集目录：{args.dir}", file=sys.stderr)
        return 2
    settings = OcrSettings(max_pages=args.max_pages, min_confidence=args.confidence)
    total_pages = used_pages = found = chars = 0
    confidences: list[int] = []
    fields: dict[str, list[bool]] = {}
    started = time.monotonic()
    for labels in sorted(args.dir.glob("*/labels.tsv")):
        kind = labels.parent.name
        for row in csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"):
            path = labels.parent / row["file"]
            if path.suffix.lower() != ".pdf":
                continue
            scan, truth, total = as_scan(path.read_bytes(), args.max_pages)
            doc = read_bounded(scan, path.name, None, ocr=settings)
            if doc.unreadable:
                print(f"- {kind}/{path.name}: 无法读取：{doc.unreadable}")
                continue
            ocr = doc.ocr or {}
            read = {page["page"]: page for page in ocr.get("pages") or []}
            used = ocr.get("read") or []
            pairs = [recall(truth[n - 1], doc.page_texts[n - 1]) for n in used]
            got, size = sum(g for g, _ in pairs), sum(t for _, t in pairs)
            total_pages += len(truth)
            used_pages += len(used)
            found += got
            chars += size
            confidences += [page.get("confidence", 0) for page in read.values()]
            line = (f"- {kind}/{path.name}: {len(truth)} 页，识别可用 {len(used)} 页，"
                    f"字符召回 {100 * got / max(size, 1):.1f}%")
            check = CHECKS.get(kind)
            if check and len(truth) == total:
                results = check(row, doc, document_facts(doc))
                results.pop("pages", None)
                for field, ok in results.items():
                    fields.setdefault(f"{kind}.{field}", []).append(ok)
                wrong = [f for f, ok in results.items() if not ok]
                line += "，事实全部相符" if not wrong else "，不符：" + "、".join(wrong)
            print(line, flush=True)
    spent = time.monotonic() - started
    print(f"\n扫描页 {total_pages}，置信度达到 {args.confidence}% 的 {used_pages} 页"
          f"（{100 * used_pages / max(total_pages, 1):.1f}%），"
          f"平均置信度 {sum(confidences) / max(len(confidences), 1):.1f}，"
          f"字符召回 {100 * found / max(chars, 1):.1f}%，用时 {spent:.0f} 秒")
    if fields:
        print("\n| field | correct |\n|---|---|")
        for field, results in fields.items():
            print(f"| {field} | {sum(results)}/{len(results)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
