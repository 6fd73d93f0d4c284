"""The sites file: which bureau sites to audit (`sites: [{id, name, level, url, ...}]`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from gkaudit.yamlfile import ConfigError, Mapping, load_yaml, require

LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
# Crawl settings a sites file (or the command line) may give: name → allowed values (a type, or a tuple of words).
CRAWL_KEYS = {"max_pages": int, "max_depth": int, "delay": float, "timeout": float, "confirm_delay": float,
              "external": ("off", "on", "sample"), "revalidate": ("fresh", "all", "off"), "progress": float}


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
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    settings: dict = field(default_factory=dict, compare=False, hash=False)  # {"rules": {ID: params}, "exempt": {ID: why}}

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass
class SitesFile:
    path: Path
    sites: list[Site]
    crawl: dict  # optional crawl settings (CRAWL_KEYS)


def load_sites(path: str | Path) -> SitesFile:
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(path, None, "sites", "顶层必须是映射，形如 sites: [...]")
    entries = require(data, "sites", path, list)
    if not entries:
        raise ConfigError(path, data.line_of("sites"), "sites", "站点列表为空")
    sites, seen_ids, seen_urls = [], {}, {}
    for i, entry in enumerate(entries):
        where = f"第 {i + 1} 个站点"
        if not isinstance(entry, Mapping):
            raise ConfigError(path, data.line_of("sites"), "sites", f"{where}必须是映射")
        sid = str(require(entry, "id", path, (str, int), where + ": "))
        name = require(entry, "name", path, str, where + ": ")
        url = require(entry, "url", path, str, where + ": ")
        level = require(entry, "level", path, str, where + ": ")
        if level not in LEVELS:
            raise ConfigError(path, entry.line_of("level"), "level",
                              f"{where}: 层级必须是 {'/'.join(LEVELS)} 之一，而不是 {level!r}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(path, entry.line_of("url"), "url", f"{where}: 不是有效的 http(s) 网址: {url!r}")
        if sid in seen_ids:
            raise ConfigError(path, entry.line_of("id"), "id", f"站点 id {sid!r} 与第 {seen_ids[sid]} 行重复")
        if url in seen_urls:
            raise ConfigError(path, entry.line_of("url"), "url", f"网址与第 {seen_urls[url]} 行重复")
        seen_ids[sid], seen_urls[url] = entry.line_of("id"), entry.line_of("url")
        known = {"id", "name", "url", "level", "supervisor", "rules", "exempt"}
        sites.append(Site(sid, name, level, url, entry.get("supervisor"),
                          {k: v for k, v in entry.items() if k not in known}, _site_settings(path, entry, where)))
    crawl = data.get("crawl") or {}
    if not isinstance(crawl, dict):
        raise ConfigError(path, data.line_of("crawl"), "crawl", "必须是映射")
    check_crawl(path, crawl, "crawl")
    return SitesFile(path, sites, dict(crawl))


def check_crawl(path, crawl, field: str) -> None:
    """Each key of a `crawl:` mapping (a sites file's, or a scheduled job's) is a known setting with a valid value."""
    for key, value in crawl.items():
        allowed = CRAWL_KEYS.get(key)
        if allowed is None:
            raise ConfigError(path, crawl.line_of(key), f"{field}.{key}", f"未知的抓取设置（可选: {', '.join(CRAWL_KEYS)}）")
        if isinstance(allowed, tuple):
            if value not in allowed:
                raise ConfigError(path, crawl.line_of(key), f"{field}.{key}", f"必须是 {'/'.join(allowed)} 之一")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(path, crawl.line_of(key), f"{field}.{key}", "必须是非负数")


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


def check_site_rules(sites_file: SitesFile, rules: list) -> None:
    """Per-site overrides and exemptions must name existing rules, and overridden parameters must be valid."""
    from checks.registry import CHECKS
    from checks.rules import for_site

    by_id = {r.id: r for r in rules}
    for site in sites_file.sites:
        for section in ("rules", "exempt"):
            for rid in site.settings.get(section, {}):
                if rid not in by_id:
                    raise ConfigError(sites_file.path, None, f"{section}.{rid}", f"站点 {site.id}: 没有编号为 {rid} 的规则")
        for rid in site.settings.get("rules", {}):
            rule = for_site(by_id[rid], site.settings)
            problem = CHECKS[rule.check].validate(rule.params)
            if problem:
                raise ConfigError(sites_file.path, None, f"rules.{rid}", f"站点 {site.id}: {problem}")
