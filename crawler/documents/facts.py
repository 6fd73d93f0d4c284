"""Facts the rules read from a document's text, the same way for every format (PDF, XLS/XLSX, DOC/DOCX/WPS, OFD).

- `personal`: ID numbers with a valid checksum and mobile numbers (crawler.facts.personal), masked, with the page
  (or sheet) they are on; the stored page texts are masked the same way (`masked_texts`).
- `budget`: the depth of the 科目编码 a 预决算 document prints: 支出功能分类 codes start with 2 (201–234: 类 3 digits,
  款 5, 项 7), 经济分类 codes with 3 or 5 (301…, 501…). Codes are printed joined (`2080505`) or split across
  columns (`208 05 05`, `201	13	01` in a sheet), one code per line or row.
"""
from __future__ import annotations

import re

from crawler.facts import personal

from .model import Document

# A code at the start of a row, followed by the 科目名称: joined (2080505 机关事业单位…) or split into 类/款/项
# columns (208 05 05 机关事业单位…). A figure followed by its unit (500 万元) is not a code.
_NAME = r"[ \t\u3000]+(?!万|亿|千元|元|个|人次|人[，。、]|年|月|日|次)[\u4e00-\u9fff]"
_JOINED = re.compile(r"^\s*([235]\d{2}(?:\d{2}){0,2})" + _NAME)
_SPLIT = re.compile(r"^\s*([235]\d{2})[ \t\u3000]+(\d{2})(?:[ \t\u3000]+(\d{2}))?" + _NAME)
KINDS = {"2": "function", "3": "economic", "5": "economic"}
MIN_CODES = 3  # a document printing fewer coded rows has no 科目 table


def document_facts(doc: Document) -> dict:
    out: dict = {}
    found = []
    for number, text in enumerate(doc.page_texts, 1):
        items, _ = personal.scan(text)
        found += [item | {"page": number} for item in items]
    if found:
        out["personal"] = found[:20]
    codes = _budget_codes(doc.page_texts)
    if codes:
        out["budget"] = codes
    return out


def masked_texts(doc: Document) -> list[str]:
    """The page texts with every ID and mobile number masked in place: what the database keeps."""
    return [personal.scan(text)[1] for text in doc.page_texts]


def _budget_codes(texts: list[str]) -> dict:
    """{function|economic}_code_max_digits and an example, for the classifications printed with enough codes."""
    seen: dict[str, list[str]] = {"function": [], "economic": []}
    for text in texts:
        for line in text.splitlines():
            m = _SPLIT.match(line)
            code = "".join(part for part in m.groups() if part) if m else None
            if code is None and (m := _JOINED.match(line)):
                code = m.group(1)
            if code and len(code) in (3, 5, 7):
                seen[KINDS[code[0]]].append(code)
    out = {}
    for kind, codes in seen.items():
        if len(codes) >= MIN_CODES:
            deepest = max(codes, key=len)
            out[f"{kind}_code_max_digits"] = len(deepest)
            out[f"{kind}_code_example"] = deepest
    return out
