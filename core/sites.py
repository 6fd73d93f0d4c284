"""The sites file: which bureau sites to audit (`sites: [{id, name, level, url, ...}]`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from core.options import check_crawl
from core.vocab import SITE_LEVELS
from core.wording import site_wording
from core.yamlfile import ConfigError, Mapping, load_yaml, require

EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+")


def export_site(folder: str | Path, base_url: str, name: str | None, level: str) -> SitesFile:
    """A one-site sites file for a static export (gkaudit audit --export DIR --base-url URL)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(folder, None, "--export", "不是目录")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(folder, None, "--base-url", f"不是有效的 http(s) 网址: {base_url!r}")
    url = base_url if base_url.endswith("/") else base_url + "/"
    sid = parts.hostname.removesuffix(".gov.cn").replace(".", "-")
    return SitesFile(folder, [Site(sid, name or parts.hostname, level, url)], {"delay": 0, "confirm_delay": 0})


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    level: str
    url: str
    supervisor: str | None = None
    contacts: tuple[str, ...] = ()  # e-mail addresses gkaudit remind writes to (整改清单, deadlines)
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # {"rules": {ID: params}, "exempt": {ID: why}, "wording": [entry…] (core.wording: the WORD-02 additions)}
    settings: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass
class SitesFile:
    path: Path
    sites: list[Site]
    crawl: dict  # optional crawl options (core.options)


def load_sites(path: str | Path) -> SitesFile:
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(path, None, "sites", "顶层必须是映射，形如 sites: [...]")
    entries = require(data, "sites", path, list)
    if not entries:
        raise ConfigError(path, data.line_of("sites"), "sites", "站点列表为空")
    sites, seen_ids, seen_urls = [], {}, {}
    province = site_wording(path, data.get("wording"), data.line_of("wording"))  # WORD-02 additions for every site
    for i, entry in enumerate(entries):
        where = f"第 {i + 1} 个站点"
        if not isinstance(entry, Mapping):
            raise ConfigError(path, data.line_of("sites"), "sites", f"{where}必须是映射")
        sid = str(require(entry, "id", path, (str, int), where + ": "))
        name = require(entry, "name", path, str, where + ": ")
        url = require(entry, "url", path, str, where + ": ")
        level = require(entry, "level", path, str, where + ": ")
        if level not in SITE_LEVELS:
            raise ConfigError(path, entry.line_of("level"), "level",
                              f"{where}: 层级必须是 {'/'.join(SITE_LEVELS)} 之一，而不是 {level!r}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(path, entry.line_of("url"), "url", f"{where}: 不是有效的 http(s) 网址: {url!r}")
        if sid in seen_ids:
            raise ConfigError(path, entry.line_of("id"), "id", f"站点 id {sid!r} 与第 {seen_ids[sid]} 行重复")
        if url in seen_urls:
            raise ConfigError(path, entry.line_of("url"), "url", f"网址与第 {seen_urls[url]} 行重复")
        seen_ids[sid], seen_urls[url] = entry.line_of("id"), entry.line_of("url")
        known = {"id", "name", "url", "level", "supervisor", "rules", "exempt", "wording", "contacts"}
        settings = _site_settings(path, entry, where)
        wording = province + site_wording(path, entry.get("wording"), entry.line_of("wording"), f"sites[{i}].wording")
        if wording:
            settings["wording"] = wording
        sites.append(Site(sid, name, level, url, entry.get("supervisor"), _contacts(path, entry, where),
                          {k: v for k, v in entry.items() if k not in known}, settings))
    crawl = data.get("crawl") or {}
    if not isinstance(crawl, dict):
        raise ConfigError(path, data.line_of("crawl"), "crawl", "必须是映射")
    return SitesFile(path, sites, check_crawl(path, crawl, "crawl"))


def _contacts(path: Path, entry: Mapping, where: str) -> tuple[str, ...]:
    """`contacts: [a@b.gov.cn, …]`: the site's people who get reminders; each must look like one e-mail address."""
    found = entry.get("contacts")
    if found is None:
        return ()
    if not isinstance(found, list) or not all(isinstance(v, str) for v in found):
        raise ConfigError(path, entry.line_of("contacts"), "contacts", f"{where}: 必须是电子邮件地址列表")
    for value in found:
        if not EMAIL.fullmatch(value.strip()):
            raise ConfigError(path, entry.line_of("contacts"), "contacts", f"{where}: 不是有效的电子邮件地址: {value!r}")
    return tuple(dict.fromkeys(v.strip() for v in found))


def _site_settings(path: Path, entry: Mapping, where: str) -> dict:
    """Per-site rule parameters (`rules: {GWS-V4a: {windows: …}}`) and exemptions (`exempt: {GWS-D4: 报备原因}`)."""
    settings = {}
    rules = entry.get("rules")
    if rules is not None:
        if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
            raise ConfigError(path, entry.line_of("rules"), "rules", f"{where}: 必须是 {{规则编号: {{参数: 值}}}} 映射")
        settings["rules"] = {str(k): {pk: _plain(pv) for pk, pv in v.items()} for k, v in rules.items()}
    exempt = entry.get("exempt")
    if exempt is not None:
        if not isinstance(exempt, dict) or not all(isinstance(v, str) and v for v in exempt.values()):
            raise ConfigError(path, entry.line_of("exempt"), "exempt", f"{where}: 必须是 {{规则编号: 豁免原因}} 映射")
        settings["exempt"] = {str(k): v for k, v in exempt.items()}
    return settings


def _plain(value):
    """Settings are stored as JSON: dates become ISO strings (rules parse them back)."""
    return value.isoformat() if isinstance(value, date) else value
