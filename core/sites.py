"""The sites file: which bureau sites to audit (`sites: [{id, name, level, url, ...}]`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from core.options import check_crawl
from core.vocab import SITE_LEVEL_HINT, site_level
from core.wording import site_wording
from core.yamlfile import ConfigError, ConfigErrors, Mapping, collect, load_yaml, require

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
    sid = re.sub(r"[^A-Za-z0-9_-]+", "-", parts.hostname.removesuffix(".gov.cn")).strip("-_")[:64] or "site"
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
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line in the sites file

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass
class SitesFile:
    path: Path
    sites: list[Site]
    crawl: dict  # optional crawl options (core.options)


# A site id is a folder name under --out and a key in the database: letters, digits, '.', '_' and '-', starting
# with a letter or digit, at most 64 characters (so no '..', '/', control characters or over-long names).
SITE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SITE_ID_TEXT = "字母、数字、“.”“_”“-”，以字母或数字开头，最长 64 个字符"


def site_id_problem(sid: str) -> str | None:
    """Why a site id cannot be a folder name of the reports (Chinese), or None."""
    if not SITE_ID.fullmatch(sid):
        return f"站点 id {sid[:80]!r}{'…' if len(sid) > 80 else ''} 不能用作目录名：只能包含{SITE_ID_TEXT}"
    return None


def load_sites(path: str | Path) -> SitesFile:
    """The sites file, every site checked; all problems are raised together (ConfigErrors), each with its line."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(path, None, "sites", "顶层必须是映射，形如 sites: [...]")
    entries = require(data, "sites", path, list)
    if not entries:
        raise ConfigError(path, data.line_of("sites"), "sites", "站点列表为空")
    errors: list[ConfigError] = []
    sites, seen_ids, seen_urls = [], {}, {}
    province = collect(errors, site_wording, path, data.get("wording"), data.line_of("wording")) or []
    for i, entry in enumerate(entries):
        where = f"第 {i + 1} 个站点"
        if not isinstance(entry, Mapping):
            errors.append(ConfigError(path, data.line_of("sites"), "sites", f"{where}必须是映射"))
            continue
        site = collect(errors, _load_site, path, entry, where, i, province)
        if site is None:
            continue
        if site.id in seen_ids:
            errors.append(ConfigError(path, entry.line_of("id"), "id", f"站点 id {site.id!r} 与第 {seen_ids[site.id]} 行重复"))
        if site.url in seen_urls:
            errors.append(ConfigError(path, entry.line_of("url"), "url", f"网址与第 {seen_urls[site.url]} 行重复"))
        seen_ids.setdefault(site.id, entry.line_of("id"))
        seen_urls.setdefault(site.url, entry.line_of("url"))
        sites.append(site)
    crawl = data.get("crawl") or {}
    if not isinstance(crawl, dict):
        errors.append(ConfigError(path, data.line_of("crawl"), "crawl", "必须是映射"))
        crawl = {}
    crawl = collect(errors, check_crawl, path, crawl, "crawl")
    ConfigErrors.raise_all(errors)
    return SitesFile(path, sites, crawl)


def _load_site(path: Path, entry: Mapping, where: str, i: int, province: list) -> Site:
    errors: list[ConfigError] = []
    field_of = {"id": (str, int), "name": str, "url": str, "level": str}
    values = {key: collect(errors, require, entry, key, path, types, where + ": ") for key, types in field_of.items()}
    sid, url, level = values["id"], values["url"], values["level"]
    if isinstance(sid, bool):  # `id: yes` is YAML's true
        errors.append(ConfigError(path, entry.line_of("id"), "id", f"{where}: 类型错误: {sid!r}"))
    elif sid is not None and (problem := site_id_problem(str(sid))):
        errors.append(ConfigError(path, entry.line_of("id"), "id", f"{where}: {problem}"))
    written, level = level, site_level(level)
    if written is not None and level is None:
        errors.append(ConfigError(path, entry.line_of("level"), "level",
                                  f"{where}: 层级应为 {SITE_LEVEL_HINT}，而不是 {written!r}"))
    if url is not None and (problem := url_problem(url)):
        errors.append(ConfigError(path, entry.line_of("url"), "url", f"{where}: {problem}"))
    supervisor = entry.get("supervisor")
    if supervisor is not None and not isinstance(supervisor, str):
        errors.append(ConfigError(path, entry.line_of("supervisor"), "supervisor",
                                  f"{where}: 主管单位必须是一段文字，而不是 {supervisor!r}"))
    contacts = collect(errors, _contacts, path, entry, where)
    settings = collect(errors, _site_settings, path, entry, where)
    wording = collect(errors, site_wording, path, entry.get("wording"), entry.line_of("wording"), f"sites[{i}].wording")
    ConfigErrors.raise_all(errors)
    if province + wording:
        settings["wording"] = province + wording
    known = {"id", "name", "url", "level", "supervisor", "rules", "exempt", "wording", "contacts"}
    return Site(str(sid), values["name"], level, url, supervisor, contacts or (),
                extra={k: v for k, v in entry.items() if k not in known}, settings=settings, lines=_lines(entry))


def url_problem(url: str) -> str | None:
    """Why a site's address is not an http(s) URL the crawler can ask (Chinese), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"不是有效的 http(s) 网址: {url!r}"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return f"端口必须是 1–65535: {url!r}"
    return None


def _lines(entry: Mapping) -> dict[str, int]:
    """Line of each field of a site entry, and of each rule override and its parameters (for later checks)."""
    lines = dict(entry.key_lines)
    for section in ("rules", "exempt"):
        value = entry.get(section)
        if isinstance(value, Mapping):
            for key, inner in value.items():
                lines[f"{section}.{key}"] = value.line_of(key)
                if isinstance(inner, Mapping):
                    lines.update({f"{section}.{key}.{k}": inner.line_of(k) for k in inner})
    return lines


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
