"""The sites file: which bureau sites to audit (`sites: [{id, name, level, url, ...}]`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gkaudit.yamlfile import ConfigError, Mapping, load_yaml, require

LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
CRAWL_KEYS = ("max_pages", "max_depth", "delay", "timeout")


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    level: str
    url: str
    supervisor: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

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
        known = {"id", "name", "url", "level", "supervisor"}
        sites.append(Site(sid, name, level, url, entry.get("supervisor"),
                          {k: v for k, v in entry.items() if k not in known}))
    crawl = data.get("crawl") or {}
    if not isinstance(crawl, dict):
        raise ConfigError(path, data.line_of("crawl"), "crawl", "必须是映射")
    for key in crawl:
        if key not in CRAWL_KEYS:
            raise ConfigError(path, crawl.line_of(key), f"crawl.{key}", "未知的抓取设置")
        if not isinstance(crawl[key], (int, float)) or crawl[key] < 0:
            raise ConfigError(path, crawl.line_of(key), f"crawl.{key}", "必须是非负数")
    return SitesFile(path, sites, dict(crawl))
