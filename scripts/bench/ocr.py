"""`make bench-ocr`: what `--ocr` costs per scanned page, against bare Tesseract on the same pictures, in one run.

Scanned pages are generated (fixtures/scans.py: lines of a 部门决算 drawn with a CJK font at 300 dpi, some blurred
and noisy like a poor scan), each saved as a one-page PDF of pictures only. Two measurements alternate per page:

- ``gkaudit``: crawler.documents.sandbox.read_bounded with OCR on (what the crawl does under --ocr: a forked worker
  with its limits, pdfium rendering the page, Tesseract in a subprocess, the TSV turned into text and confidence);
- ``tesseract``: the bare command on the page already rendered (`tesseract stdin stdout -l chi_sim --psm 3 tsv`),
  the least any OCR of that page costs.

CPU seconds are those of the finished child processes (RUSAGE_CHILDREN: the worker and the Tesseract it waited
for), which other work on the machine does not inflate as it does wall time. Prints CPU per page, the ratio, the
mean confidence and the pages above the default threshold.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402

from crawler.documents.ocr import OcrSettings, _render  # noqa: E402
from crawler.documents.sandbox import read_bounded  # noqa: E402
from fixtures.scans import scanned_page, scanned_pdf  # noqa: E402

LINES = ["测试局2025年度部门决算", "一、部门职责", "负责全市生态环境保护工作，组织实施生态环境监测。",
         "二、机构设置", "本部门设内设机构12个，下属单位3个。", "三、“三公”经费支出情况说明",
         "2025年度“三公”经费支出决算为12.35万元，比上年减少1.20万元，", "主要原因是严格落实过紧日子要求。",
         "四、名词解释", "机关运行经费：为保障行政单位运行用于购买货物和服务的各项资金。"]
SCANS = [(0, 0), (1, 0.002), (2, 0.005)]  # (blur, noise): clean, fair, poor


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=9, help="scanned pages to read")
    args = parser.parse_args()
    binary = shutil.which("tesseract")
    if binary is None:
        print("未安装 tesseract（make install 安装 tesseract-ocr、tesseract-ocr-chi-sim）", file=sys.stderr)
        return 2
    settings = OcrSettings(max_pages=1)
    ours, bare, confidences, wall = [], [], [], []
    for index in range(args.pages):
        blur, noise = SCANS[index % len(SCANS)]
        lines = LINES[index % 3:] + LINES[:index % 3]
        pdf = scanned_pdf([scanned_page(lines, blur=blur, noise=noise)])
        before, started = children_cpu(), time.monotonic()
        doc = read_bounded(pdf, f"scan{index}.pdf", "application/pdf", ocr=settings)
        wall.append(time.monotonic() - started)
        ours.append(children_cpu() - before)
        confidences.append((doc.ocr or {}).get("pages", [{}])[0].get("confidence", 0))
        image = _render(pypdfium2.PdfDocument(pdf), 0)
        before = children_cpu()
        subprocess.run([binary, "stdin", "stdout", "-l", "chi_sim", "--psm", "3", "--dpi", "300", "tsv"], input=image,
                       capture_output=True, check=True, env=os.environ | {"OMP_THREAD_LIMIT": "1"})
        bare.append(children_cpu() - before)
        print(f"第 {index + 1} 页（模糊 {blur}，噪点 {noise}）：gkaudit {ours[-1]:.2f} 秒 CPU，tesseract {bare[-1]:.2f} 秒，"
              f"置信度 {confidences[-1]}", flush=True)
    threshold = OcrSettings().min_confidence
    print(f"\n| measure | gkaudit --ocr | bare tesseract |\n|---|---|---|\n"
          f"| CPU s per page (median) | {statistics.median(ours):.2f} | {statistics.median(bare):.2f} |\n"
          f"| wall s per page (median) | {statistics.median(wall):.2f} | |\n"
          f"| ratio | {statistics.median(ours) / max(statistics.median(bare), 1e-6):.2f}× | 1 |\n"
          f"| mean confidence | {statistics.mean(confidences):.1f} (min {min(confidences)}) | |\n"
          f"| pages ≥ {threshold} | {sum(c >= threshold for c in confidences)}/{len(confidences)} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
