"""The screenshots of docs/screenshots/ (linked from README): the sample sites audited as `make demo` does, then
their reports shown and printed in headless Chromium (tests/reports/browser.py).

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

A printed page of 整改清单.xlsx needs LibreOffice (`soffice`) to turn the workbook into PDF; without it that
screenshot is skipped, with a message.
"""
from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402

from fixtures.server import serve  # noqa: E402
from tests.reports.browser import Browser  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SITE = "sthjt-trs"  # the sample province bureau: a long list, a veto, not-tested items


def audit(work: Path) -> Path:
    gkaudit = str(Path(sys.executable).with_name("gkaudit"))
    with serve(port=8808):
        subprocess.run([gkaudit, "audit", "--sites", str(ROOT / "config" / "sites.example.yaml"), "--as-of",
                        "2026-11-20", "--out", str(work / "report"), "--db", f"sqlite:///{work / 'gk.db'}",
                        "--delay", "0", "--quiet"], check=True)
    return work / "report"


def shot(browser: Browser, page: Path, target: Path, height: int | None = None) -> None:
    browser.check(page)  # loads it
    params = {"format": "png", "captureBeyondViewport": True}
    if height:
        params["clip"] = {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}
    target.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", session=True, **params)["data"]))
    print(target.relative_to(ROOT))


def first_page(pdf: bytes, target: Path) -> None:
    pypdfium2.PdfDocument(pdf)[0].render(scale=1.6).to_pil().save(target)
    print(target.relative_to(ROOT))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gkaudit-shots-") as work:
        report = audit(Path(work))
        with Browser(timeout=60) as browser:
            shot(browser, report / "index.html", OUT / "summary.png")
            shot(browser, report / SITE / "整改清单.html", OUT / "list.png", height=1400)
            first_page(browser.print_pdf(report / SITE / "整改清单.html"), OUT / "list-printed.png")
            snapshot = next((report / SITE / "页面快照").glob("*.html"))
            shot(browser, snapshot, OUT / "snapshot.png", height=700)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            print("没有 LibreOffice（soffice）：跳过 整改清单.xlsx 打印页截图", file=sys.stderr)
            return 0
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", work,
                        str(report / SITE / "整改清单.xlsx")], check=True, capture_output=True)
        first_page((Path(work) / "整改清单.pdf").read_bytes(), OUT / "xlsx-printed.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
