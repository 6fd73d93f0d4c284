"""The schedules file: which jobs run when, on which sites (`gkaudit schedule list`, `gkaudit scheduler`).

    timezone: Asia/Shanghai          # optional; default: the machine's time zone
    sites: sites.yaml                # optional; relative to this file; --sites overrides it
    groups:                          # named selections from the sites file (all keys optional, combined with AND)
      provincial: {level: province}
      pilot: {ids: [sthjt-trs]}
      key-sites: {tags: [重点]}       # sites with `tags: [重点]` in the sites file
    jobs:
      - id: monthly-audit
        kind: audit                  # audit | freshness | probe
        cron: "0 2 1 * *"            # minute hour day month weekday (weekday 0 or 7 = Sunday, or mon..sun)
        group: all                   # a group name; `all` (the default) is every site
        crawl: {max_pages: 2000}     # optional crawl settings (audit, freshness)
        misfire_grace: 259200        # optional: seconds a missed run may still start late (see MISFIRE_GRACE)
      - id: probes
        kind: probe
        cron: "0 * * * *"
        jitter: 3000                 # optional: start up to N seconds late, at random (GWS-V2 random times)
        count: 1                     # probe only: samples per site per run

Validated on load; a mistake is a ConfigError naming file, line and field, like the sites file.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from tzlocal import get_localzone

from core.options import check_crawl
from core.sites import Site, SitesFile, load_sites
from core.vocab import JOB_KINDS, SITE_LEVEL_HINT, site_level
from core.yamlfile import ConfigError, Mapping, load_yaml

# Missed-run policy: a run missed while the scheduler was down (or busy) still starts if it is at most this many
# seconds late; several missed runs of one job start once (coalesced). A late probe sample is no longer a random
# sample of the day, so probes get a short grace; a monthly audit a long one.
MISFIRE_GRACE = {"audit": 3 * 24 * 3600, "freshness": 6 * 3600, "probe": 600}
# Freshness: a shallow crawl (homepage, columns, their first list pages) judged only by the update rules.
FRESHNESS_CRAWL = {"max_depth": 2, "max_pages": 300, "network": "off"}  # judged only by the update rules
FRESHNESS_KINDS = ("homepage-stale", "column-stale", "column-blank")
PROBES_PER_DAY = 20  # GWS-V2: at least 20 samples a day
JOB_KEYS = {"id", "kind", "cron", "group", "crawl", "misfire_grace", "jitter", "count", "timeout"}
GROUP_KEYS = {"ids", "level", "tags", "supervisor"}
WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass
class Job:
    id: str
    kind: str
    cron: str
    group: str
    line: int
    crawl: dict = field(default_factory=dict)
    misfire_grace: int = 0
    jitter: int = 0
    count: int = 1  # probe: samples per site per run
    timeout: float = 15.0  # probe: seconds (GWS-V2: 15)
    site_ids: list[str] = field(default_factory=list)  # resolved against the sites file

    def trigger(self, timezone: tzinfo):
        return cron_trigger(self.cron, timezone, self.jitter)

    def spec(self) -> str:
        """A digest of everything that decides when and how the job runs: the scheduler replaces a stored job
        only when this changes, so a restart keeps the stored next run time (and so can see what it missed)."""
        data = {k: getattr(self, k) for k in ("kind", "cron", "jitter", "misfire_grace")}
        return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Schedules:
    path: Path
    timezone: tzinfo
    jobs: list[Job]
    sites_file: SitesFile
    warnings: list[str] = field(default_factory=list)

    def job(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs if j.id == job_id), None)

    def sites_of(self, job: Job) -> list[Site]:
        by_id = {s.id: s for s in self.sites_file.sites}
        return [by_id[i] for i in job.site_ids]


def cron_trigger(expr: str, timezone: tzinfo, jitter: int = 0):
    """A 5-field crontab expression as an APScheduler trigger. Weekday numbers follow cron (0/7 = Sunday);
    APScheduler counts from Monday, so they are turned into names first."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"应为 5 个字段（分 时 日 月 周），而不是 {len(fields)} 个")
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=_weekday(weekday),
                       timezone=timezone, jitter=jitter or None)


def _weekday(value: str) -> str:
    def one(token: str) -> str:
        if token.isdigit():
            n = int(token)
            if n > 7:
                raise ValueError(f"星期应为 0-7，而不是 {n}")
            return WEEKDAYS[n]
        return token

    parts = []
    for part in value.split(","):
        base, _, step = part.partition("/")
        base = "-".join(one(t) for t in base.split("-")) if base != "*" else base
        parts.append(base + (f"/{step}" if step else ""))
    return ",".join(parts)


def next_runs(job: Job, timezone: tzinfo, count: int = 3, now: datetime | None = None) -> list[datetime]:
    """The next planned run times (before jitter)."""
    trigger = cron_trigger(job.cron, timezone)
    now = now or datetime.now(timezone)
    out, prev = [], None
    while len(out) < count:
        nxt = trigger.get_next_fire_time(prev, now if prev is None else prev + timedelta(seconds=1))
        if nxt is None:
            break
        out.append(nxt)
        prev = nxt
    return out


def runs_per_day(job: Job, timezone: tzinfo, now: datetime | None = None) -> int:
    """Runs in the 24 hours from `now` (about: a cron with day or weekday fields varies by day)."""
    now = now or datetime.now(timezone)
    trigger = cron_trigger(job.cron, timezone)
    n, prev, end = 0, None, now + timedelta(days=1)
    while n < 24 * 60:
        nxt = trigger.get_next_fire_time(prev, now if prev is None else prev + timedelta(seconds=1))
        if nxt is None or nxt >= end:
            break
        n, prev = n + 1, nxt
    return n


def load_schedules(path: str | Path, sites: SitesFile | str | Path | None = None) -> Schedules:
    """Load and validate a schedules file, resolving each job's sites against the sites file
    (`sites`, else the file named by its `sites:` key)."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise ConfigError(path, None, "jobs", "顶层必须是映射，形如 jobs: [...]")
    unknown = set(data) - {"timezone", "sites", "groups", "jobs"}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(path, data.line_of(key), key, "未知字段（可选: timezone, sites, groups, jobs）")
    timezone = _timezone(path, data)
    if sites is None:
        if not data.get("sites"):
            raise ConfigError(path, data.line, "sites", "未给出站点清单：请用 --sites FILE，或在本文件中写 sites: FILE")
        sites = path.parent / str(data["sites"])
    sites_file = sites if isinstance(sites, SitesFile) else load_sites(sites)
    groups = _groups(path, data, sites_file)
    jobs_data = data.get("jobs")
    if not isinstance(jobs_data, list) or not jobs_data:
        raise ConfigError(path, data.line_of("jobs"), "jobs", "必须是非空列表")
    jobs, seen, warnings = [], {}, []
    for i, entry in enumerate(jobs_data):
        job = _job(path, data, entry, i, groups, seen, timezone)
        seen[job.id] = job.line
        jobs.append(job)
        if job.kind == "probe":
            per_day = runs_per_day(job, timezone) * job.count
            if per_day < PROBES_PER_DAY:
                warnings.append(f"{path}:{job.line}: 任务 {job.id} 每天约 {per_day} 次采样，少于 GWS-V2 要求的 "
                                f"{PROBES_PER_DAY} 次（可用性规则将报告“未检测”）")
            if not job.jitter:
                warnings.append(f"{path}:{job.line}: 任务 {job.id} 没有设置 jitter，采样时间固定；GWS-V2 要求随机时间采样")
    return Schedules(path, timezone, jobs, sites_file, warnings)


def _timezone(path: Path, data: Mapping) -> tzinfo:
    name = data.get("timezone")
    if name is None:
        return get_localzone()
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(path, data.line_of("timezone"), "timezone", f"未知时区 {name!r}（例如 Asia/Shanghai）") from None


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _groups(path: Path, data: Mapping, sites_file: SitesFile) -> dict[str, list[str]]:
    """Group name → ids of the sites it selects (in sites-file order)."""
    groups = {"all": [s.id for s in sites_file.sites]}
    raw = data.get("groups")
    if raw is None:
        return groups
    if not isinstance(raw, Mapping):
        raise ConfigError(path, data.line_of("groups"), "groups", "必须是映射：组名: {ids, level, tags, supervisor}")
    known_ids = {s.id for s in sites_file.sites}
    for name, spec in raw.items():
        where = f"groups.{name}"
        if name == "all":
            raise ConfigError(path, raw.line_of(name), where, "all 是内置的组（全部站点），不能重新定义")
        if not isinstance(spec, Mapping):
            raise ConfigError(path, raw.line_of(name), where, "必须是映射，例如 {level: city}")
        for key in spec:
            if key not in GROUP_KEYS:
                raise ConfigError(path, spec.line_of(key), f"{where}.{key}", f"未知的选择条件（可选: {', '.join(sorted(GROUP_KEYS))}）")
        selected = list(sites_file.sites)
        if "ids" in spec:
            ids = [str(i) for i in _as_list(spec["ids"])]
            missing = [i for i in ids if i not in known_ids]
            if missing:
                raise ConfigError(path, spec.line_of("ids"), f"{where}.ids", f"站点清单 {sites_file.path} 中没有站点 {', '.join(missing)}")
            selected = [s for s in selected if s.id in ids]
        if "level" in spec:
            written = _as_list(spec["level"])
            levels = [site_level(lv) for lv in written]
            if None in levels:
                raise ConfigError(path, spec.line_of("level"), f"{where}.level",
                                  f"层级应为 {SITE_LEVEL_HINT}，而不是 {written[levels.index(None)]!r}")
            selected = [s for s in selected if s.level in levels]
        if "tags" in spec:
            tags = {str(t) for t in _as_list(spec["tags"])}
            selected = [s for s in selected if tags & {str(t) for t in _as_list(s.extra.get("tags") or [])}]
        if "supervisor" in spec:
            selected = [s for s in selected if s.supervisor == spec["supervisor"]]
        if not selected:
            raise ConfigError(path, raw.line_of(name), where, f"在站点清单 {sites_file.path} 中没有选中任何站点")
        groups[str(name)] = [s.id for s in selected]
    return groups


def _job(path: Path, data: Mapping, entry, i: int, groups: dict, seen: dict, timezone: tzinfo) -> Job:
    where = f"jobs[{i}]"
    if not isinstance(entry, Mapping):
        raise ConfigError(path, data.line_of("jobs"), where, "必须是映射：{id, kind, cron, group}")
    for key in entry:
        if key not in JOB_KEYS:
            raise ConfigError(path, entry.line_of(key), f"{where}.{key}", f"未知字段（可选: {', '.join(sorted(JOB_KEYS))}）")
    for key in ("id", "kind", "cron"):
        if entry.get(key) in (None, ""):
            raise ConfigError(path, entry.line, f"{where}.{key}", "缺少必填字段")
    job_id, kind, cron = str(entry["id"]), entry["kind"], str(entry["cron"])
    if job_id in seen:
        raise ConfigError(path, entry.line_of("id"), f"{where}.id", f"任务 id {job_id!r} 与第 {seen[job_id]} 行重复")
    if kind not in JOB_KINDS:
        raise ConfigError(path, entry.line_of("kind"), f"{where}.kind", f"必须是 {'/'.join(JOB_KINDS)} 之一，而不是 {kind!r}")
    try:
        cron_trigger(cron, timezone)
    except ValueError as exc:
        raise ConfigError(path, entry.line_of("cron"), f"{where}.cron", f"cron 表达式 {cron!r} 无效：{exc}") from None
    group = str(entry.get("group", "all"))
    if group not in groups:
        raise ConfigError(path, entry.line_of("group"), f"{where}.group", f"没有名为 {group!r} 的站点组（已定义: {', '.join(groups)}）")
    job = Job(job_id, kind, cron, group, entry.line, site_ids=groups[group],
              misfire_grace=MISFIRE_GRACE[kind])
    for key in ("misfire_grace", "jitter", "count"):
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key == "count" else 0):
                raise ConfigError(path, entry.line_of(key), f"{where}.{key}", "必须是" + ("正整数" if key == "count" else "非负整数（秒）"))
            setattr(job, key, value)
    if "count" in entry and kind != "probe":
        raise ConfigError(path, entry.line_of("count"), f"{where}.count", "只有 probe 任务可以设置 count")
    if "timeout" in entry:
        value = entry["timeout"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(path, entry.line_of("timeout"), f"{where}.timeout", "必须是正数（秒）")
        job.timeout = float(value)
    crawl = entry.get("crawl")
    if crawl is not None:
        if kind == "probe":
            raise ConfigError(path, entry.line_of("crawl"), f"{where}.crawl", "probe 任务不抓取，不能设置 crawl")
        if not isinstance(crawl, Mapping):
            raise ConfigError(path, entry.line_of("crawl"), f"{where}.crawl", "必须是映射，例如 {max_pages: 500}")
        job.crawl = check_crawl(path, crawl, f"{where}.crawl")
    return job
