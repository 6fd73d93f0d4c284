"""`gkaudit ledger import FILE`: a bureau's returned 整改清单.xlsx, recorded as feedback (for intranets where
webmasters have no account).

Columns are found by their header, on any sheet: 问题编号 (or 编号; the id the 整改清单 prints), 整改情况 (what was
done: a filled cell means 已整改), 责任人 and 完成时间 (optional). A row that cannot be used (unknown 编号, bad date,
an item already closed) is reported with file, sheet, row and column and skipped; the other rows are recorded.
The same file imported twice records nothing twice (store.ledger.feedback keeps each feedback once).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zipfile import BadZipFile

from core.yamlfile import ConfigError
from store import ledger

ID_HEADERS = ("问题编号", "编号")
NOTE, WHO, DONE = "整改情况", "责任人", "完成时间"
HEADER_ROWS = 3  # the header is in one of the first rows of a sheet (a bureau may add a title row)
CN_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass
class Imported:
    recorded: int = 0  # feedback recorded now
    repeated: int = 0  # the same feedback was already recorded (the file imported before)
    blank: int = 0  # rows whose 整改情况 is empty: not reported as fixed
    problems: list[str] = field(default_factory=list)  # rows skipped, each naming file, sheet, row and column


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = CN_DATE.match(str(value))
    if not match:
        raise ValueError(f"日期无法识别：{value!r}（应为 2026-12-01 或 2026年12月1日）")
    return date(*map(int, match.groups()))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def import_returned(engine, path: Path, by: str | None = None) -> Imported:
    """Record each filled row of a returned 整改清单 as the bureau's feedback on its ledger item."""
    from openpyxl import load_workbook  # noqa: PLC0415  (heavy; only this command reads workbooks)

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ConfigError(path, None, None, "文件不存在") from None
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ConfigError(path, None, None, f"不是可读取的 XLSX 文件（{exc}）") from None
    out, found = Imported(), False
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header, first = None, 0
            for number, values in enumerate(rows, 1):
                names = [_text(v) for v in values]
                if any(h in names for h in ID_HEADERS):
                    header, first = names, number
                    break
                if number >= HEADER_ROWS:
                    break
            if header is None:
                continue
            where = f"{path} 工作表「{ws.title}」"
            if NOTE not in header:
                out.problems.append(f"{where}第 {first} 行：有「问题编号」列但缺少「{NOTE}」列，整张表未导入")
                continue
            found = True
            column = {name: header.index(name) for name in (*ID_HEADERS, NOTE, WHO, DONE) if name in header}
            id_name = next(h for h in ID_HEADERS if h in column)
            for number, values in enumerate(rows, first + 1):
                _row(engine, out, where, number, values, column, id_name, by, Path(path).name)
    finally:
        wb.close()
    if not found:
        raise ConfigError(path, None, None,
                          f"没有找到同时含「问题编号」和「{NOTE}」列的工作表（表头须在前 {HEADER_ROWS} 行）")
    return out


def _row(engine, out: Imported, where: str, number: int, values: tuple, column: dict, id_name: str,
         by: str | None, source: str) -> None:
    def cell(name):
        i = column.get(name)
        return values[i] if i is not None and i < len(values) else None

    ref, note = _text(cell(id_name)), _text(cell(NOTE))
    if not ref:
        return
    if not note:
        out.blank += 1
        return
    at = f"{where}第 {number} 行"
    try:
        done = _date(cell(DONE))
    except ValueError as exc:
        out.problems.append(f"{at}「{DONE}」：{exc}，该行未导入")
        return
    items = ledger.find_items(engine, ref) if len(ref) >= 6 or ref.isdigit() else []
    if len(items) != 1:
        what = "整改台账中没有这个问题" if not items else f"对应 {len(items)} 个问题，无法确定是哪一个"
        out.problems.append(f"{at}「{id_name}」：{ref} {what}，该行未导入")
        return
    try:
        recorded = ledger.feedback(engine, items[0].id, note, _text(cell(WHO)) or by, done, source=source)
    except ledger.LedgerError as exc:
        out.problems.append(f"{at}「{id_name}」：{exc}，该行未导入")
        return
    if recorded:
        out.recorded += 1
    else:
        out.repeated += 1
