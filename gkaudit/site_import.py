"""Import the register supervisors keep (XLSX or CSV: 网站名称, 网址, 层级, 网站标识码, 主管单位) into a sites file."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from openpyxl import load_workbook

from core.vocab import SITE_LEVEL_HINT, site_level
from core.yamlfile import ConfigError

COLUMNS = {  # field → accepted header texts
    "name": ("网站名称", "名称", "站点名称"),
    "url": ("网址", "网站地址", "首页地址", "域名", "url"),
    "level": ("层级", "级别", "行政级别"),
    "site_id_code": ("网站标识码", "标识码"),
    "supervisor": ("主管单位", "组织单位", "主办单位"),
}
REQUIRED = ("name", "url", "level")


def read_rows(path: Path) -> list[dict]:
    """Rows as {header: value}; the first row with a 网站名称/网址 header is the header row."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        raw = [[("" if v is None else str(v)).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif path.suffix.lower() == ".csv":
        text = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel saves CSV as GBK on Chinese Windows
            try:
                raw = [[c.strip() for c in row] for row in csv.reader(text.decode(encoding).splitlines())]
                break
            except UnicodeDecodeError:
                continue
    else:
        raise ConfigError(path, None, None, "只支持 .xlsx 或 .csv 文件")
    for i, row in enumerate(raw):
        if any(h in row for h in COLUMNS["name"]) and any(h.lower() in (c.lower() for c in row) for h in COLUMNS["url"]):
            header = row
            return [dict(zip(header, r), _line=i + j + 2) for j, r in enumerate(raw[i + 1:]) if any(r)]
    raise ConfigError(path, None, None, "找不到表头行（需要“网站名称”和“网址”列）")


def convert(path: Path) -> tuple[list[dict], list[str]]:
    """(sites, warnings). Errors (a missing field, a bad level, a duplicate URL) name the row."""
    sites, warnings, seen_urls, seen_ids = [], [], {}, set()
    for row in read_rows(path):
        line = row.pop("_line")
        values = {}
        for field, headers in COLUMNS.items():
            values[field] = next((row[h] for h in row if h and h.strip().lower() in {x.lower() for x in headers}
                                  and row[h]), "")
        for field in REQUIRED:
            if not values[field]:
                raise ConfigError(path, line, COLUMNS[field][0], "缺少必填内容")
        url = values["url"] if "://" in values["url"] else "http://" + values["url"]
        url = url if url.endswith("/") or urlsplit(url).path not in ("",) else url + "/"
        host = urlsplit(url).hostname or ""
        if not host:
            raise ConfigError(path, line, "网址", f"不是有效的网址: {values['url']!r}")
        if url in seen_urls:
            raise ConfigError(path, line, "网址", f"与第 {seen_urls[url]} 行重复")
        seen_urls[url] = line
        level = site_level(values["level"])
        if level is None:
            raise ConfigError(path, line, "层级", f"应为 {SITE_LEVEL_HINT}，而不是 {values['level']!r}")
        if not host.endswith(".gov.cn"):
            warnings.append(f"{path}:{line}: {values['name']} 的域名 {host} 不是 .gov.cn（GUIDE-02）")
        sid = _site_id(values["site_id_code"], host, seen_ids)
        site = {"id": sid, "name": values["name"], "level": level, "url": url}
        if values["supervisor"]:
            site["supervisor"] = values["supervisor"]
        if values["site_id_code"]:
            site["site_id_code"] = values["site_id_code"]
        sites.append(site)
    if not sites:
        raise ConfigError(path, None, None, "表中没有站点")
    return sites, warnings


def _site_id(code: str, host: str, seen: set[str]) -> str:
    base = code or re.sub(r"[^a-z0-9]+", "-", host.removesuffix(".gov.cn").lower()).strip("-") or "site"
    sid, n = base, 2
    while sid in seen:
        sid, n = f"{base}-{n}", n + 1
    seen.add(sid)
    return sid


def write_sites(sites: list[dict], out: Path) -> None:
    out.write_text(yaml.safe_dump({"sites": sites}, allow_unicode=True, sort_keys=False), encoding="utf-8")
