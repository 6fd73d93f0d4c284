"""How well gkaudit reads real attachments: per labelled field, how many documents it gets right.

    .venv/bin/python scripts/eval_documents.py [--dir ../shared/data/attachments]

The development set (real budgets and final accounts made by WPS, a WPS-made XLS, a 年报, a Word 97 DOC, OFD files,
an encrypted PDF; `labels.tsv` per folder, read by hand) lives outside the repository: this script is for
measuring, never for the tests. Each file is read as the crawl reads it (crawler.documents: a bounded worker
process, then the facts the rules use); a field counts as right when:

- pages: the page (sheet) count equals the label (a label with no count is skipped);
- phrases (eia/, ofd_wps/): both labelled phrases occur in the text, spaces aside;
- function_code_max_digits / economic_code_max_digits (budget/): the depth BUD-03 reads equals the label;
- sections (budget/, annual_report/): every labelled section is found in the text as BUD-05 / OGI-50 look for it;
- sangong_items (budget/): every labelled 三公 item is found in the text as BUD-04 looks for it.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from checks.rules import load_rules
from core.resources import RULES_DIR
from crawler.documents.facts import document_facts
from crawler.documents.sandbox import read_bounded

ANNUAL_SECTIONS = {"一": "总体情况", "二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况",
                   "四": "政府信息公开行政复议、行政诉讼情况", "五": "存在的主要问题及改进情况", "六": "其他需要报告的事项"}


def _required(rule_id: str) -> dict[str, list[str]]:
    rule = next(r for r in load_rules(RULES_DIR) if r.id == rule_id)
    return rule.params["required"]


def _found(name: str, synonyms: dict[str, list[str]], text: str) -> bool:
    names = [name, *next((v for k, v in synonyms.items() if k == name or name in k or k in name), [])]
    return any(n in text for n in names)


def evaluate(folder: Path) -> dict[str, list[bool]]:
    sections, sangong = _required("BUD-05"), _required("BUD-04")
    score: dict[str, list[bool]] = {}
    for labels in sorted(folder.glob("*/labels.tsv")):
        for row in csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"):
            path = labels.parent / row["file"]
            doc = read_bounded(path.read_bytes(), path.name, None)
            facts = document_facts(doc)
            text = re.sub(r"\s", "", doc.text)
            checks: dict[str, bool] = {}
            if (m := re.match(r"\d+", row.get("pages") or "")) and not doc.unreadable:
                checks["pages"] = doc.pages == int(m.group())
            if row.get("phrase_1"):
                checks["phrases"] = all(re.sub(r"\s", "", row[k]) in text for k in ("phrase_1", "phrase_2"))
            budget = facts.get("budget") or {}
            for field in ("function_code_max_digits", "economic_code_max_digits"):
                if (row.get(field) or "").isdigit():
                    checks[field] = budget.get(field) == int(row[field])
            if labels.parent.name == "budget" and row.get("sections"):
                checks["sections"] = all(_found(s, sections, text) for s in row["sections"].split("|"))
            if labels.parent.name == "budget" and row.get("sangong_items"):
                items = row["sangong_items"].split(" (")[0].split("|")
                checks["sangong_items"] = all(_found(i, sangong, text) for i in items)
            if row.get("sections_present"):
                checks["sections"] = all(ANNUAL_SECTIONS[n] in text for n in row["sections_present"].split("|"))
            for field, ok in checks.items():
                score.setdefault(field, []).append(ok)
            wrong = [f for f, ok in checks.items() if not ok]
            print(f"- {labels.parent.name}/{row['file']}: {doc.format or '?'} {doc.pages} 页"
                  f"{'，无法读取：' + doc.unreadable if doc.unreadable else ''}"
                  f"{'，不符：' + '、'.join(wrong) if wrong else '，全部相符'}")
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/attachments")
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"找不到开发集目录：{args.dir}", file=sys.stderr)
        return 2
    score = evaluate(args.dir)
    print("\n| field | correct |\n|---|---|")
    for field, results in score.items():
        print(f"| {field} | {sum(results)}/{len(results)} ({100 * sum(results) / len(results):.1f}%) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
