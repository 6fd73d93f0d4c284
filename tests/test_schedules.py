"""The schedules file: validated on load (file:line:field, exit code 2), and `gkaudit schedule list`."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gkaudit.schedules import load_schedules, next_runs
from core.yamlfile import ConfigError
from tests.conftest import ROOT, gkaudit

EXAMPLE = ROOT / "config" / "schedules.example.yaml"
SITES = """sites:
  - {id: prov, name: 江南省生态环境厅, level: province, url: "https://sthjt.example.gov.cn/", tags: [重点]}
  - {id: city, name: 青川市生态环境局, level: city, url: "https://sthjj.example.gov.cn/"}
  - {id: county, name: 东湖区生态环境局, level: county, url: "https://dh.example.gov.cn/"}
"""


@pytest.fixture
def sites_file(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(SITES, encoding="utf-8")
    return path


def write(tmp_path, text: str):
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_lists_jobs_sites_and_next_runs():
    proc = gkaudit("schedule", "list", "--schedules", EXAMPLE, "--next", "2")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for job in ("monthly-audit", "provincial-audit", "daily-freshness", "availability-probes"):
        assert job in out
    assert "站点（1）: sthjt-trs" in out  # provincial-audit: the province-level site only
    assert "站点（4）: sthjt-trs, sthjj-hanweb, blocked-jsl, clean-gkmlpt" in out  # group all
    assert out.count("下次运行:") == 4 and "+0800" in out  # Asia/Shanghai
    assert "注意" not in proc.stderr  # the example's probes meet GWS-V2 (24 a day, random times)


def test_groups_select_by_level_ids_and_tags(tmp_path, sites_file):
    path = write(tmp_path, """groups:
  lower: {level: [city, county]}
  key: {tags: 重点}
  one: {ids: [county]}
jobs:
  - {id: a, kind: audit, cron: "0 2 1 * *", group: lower}
  - {id: b, kind: freshness, cron: "30 6 * * *", group: key}
  - {id: c, kind: audit, cron: "0 3 * * mon", group: one}
  - {id: d, kind: probe, cron: "*/30 * * * *", jitter: 1700}
""")
    loaded = load_schedules(path, sites_file)
    assert [j.site_ids for j in loaded.jobs] == [["city", "county"], ["prov"], ["county"], ["prov", "city", "county"]]
    assert loaded.warnings == []  # 48 probes a day, at random times


def test_next_runs_follow_cron_weekday_convention(tmp_path, sites_file):
    """Weekday 1 is Monday as in crontab (APScheduler itself counts from Monday = 0)."""
    path = write(tmp_path, 'timezone: Asia/Shanghai\njobs:\n  - {id: w, kind: audit, cron: "15 3 * * 1"}\n'
                           '  - {id: s, kind: audit, cron: "0 4 * * 0"}\n')
    loaded = load_schedules(path, sites_file)
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=tz)  # a Friday
    assert next_runs(loaded.job("w"), tz, 2, now) == [datetime(2026, 11, 23, 3, 15, tzinfo=tz),
                                                      datetime(2026, 11, 30, 3, 15, tzinfo=tz)]
    assert next_runs(loaded.job("s"), tz, 1, now) == [datetime(2026, 11, 22, 4, 0, tzinfo=tz)]  # Sunday


@pytest.mark.parametrize("text, line, field, words", [
    ('jobs:\n  - id: a\n    kind: audit\n    cron: "61 2 * * *"\n', 4, "jobs[0].cron", "cron 表达式"),
    ('jobs:\n  - id: a\n    kind: audit\n    cron: "0 2 * *"\n', 4, "jobs[0].cron", "5 个字段"),
    ('jobs:\n  - id: a\n    kind: crawl\n    cron: "0 2 * * *"\n', 3, "jobs[0].kind", "audit/freshness/probe"),
    ('jobs:\n  - {id: a, kind: audit, cron: "0 2 * * *"}\n  - {id: a, kind: probe, cron: "0 * * * *"}\n', 3,
     "jobs[1].id", "重复"),
    ('jobs:\n  - id: a\n    kind: audit\n    cron: "0 2 * * *"\n    group: nobody\n', 5, "jobs[0].group", "nobody"),
    ('groups:\n  g:\n    ids: [prov, ghost]\njobs:\n  - {id: a, kind: audit, cron: "0 2 * * *", group: g}\n', 3,
     "groups.g.ids", "ghost"),
    ('groups:\n  g: {level: town}\njobs:\n  - {id: a, kind: audit, cron: "0 2 * * *", group: g}\n', 2,
     "groups.g.level", "town"),
    ('groups:\n  g: {supervisor: 无此单位}\njobs:\n  - {id: a, kind: audit, cron: "0 2 * * *", group: g}\n', 2,
     "groups.g", "没有选中任何站点"),
    ('jobs:\n  - id: a\n    kind: audit\n    cron: "0 2 * * *"\n    crawl: {max_pages: -1}\n', 5,
     "jobs[0].crawl.max_pages", "不能小于 1"),
    ('jobs:\n  - id: a\n    kind: audit\n    cron: "0 2 * * *"\n    every: day\n', 5, "jobs[0].every", "未知字段"),
    ('timezone: Mars/Olympus\njobs:\n  - {id: a, kind: audit, cron: "0 2 * * *"}\n', 1, "timezone", "未知时区"),
])
def test_mistakes_name_file_line_and_field(tmp_path, sites_file, text, line, field, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_schedules(path, sites_file)
    assert (err.value.line, err.value.field) == (line, field), str(err.value)
    assert words in str(err.value)
    proc = gkaudit("schedule", "list", "--schedules", path, "--sites", sites_file)
    assert proc.returncode == 2 and f"{path}:{line}: 字段 '{field}'" in proc.stderr


def test_too_few_probes_warn(tmp_path, sites_file):
    path = write(tmp_path, 'jobs:\n  - {id: p, kind: probe, cron: "0 */2 * * *"}\n')
    proc = gkaudit("schedule", "list", "--schedules", path, "--sites", sites_file)
    assert proc.returncode == 0
    assert "每天约 12 次采样" in proc.stderr and "jitter" in proc.stderr


def test_sites_file_named_in_schedules_or_required(tmp_path, sites_file):
    path = write(tmp_path, 'sites: sites.yaml\njobs:\n  - {id: a, kind: audit, cron: "0 2 * * *"}\n')
    assert load_schedules(path).job("a").site_ids == ["prov", "city", "county"]  # relative to the schedules file
    path.write_text('jobs:\n  - {id: a, kind: audit, cron: "0 2 * * *"}\n', encoding="utf-8")
    proc = gkaudit("schedule", "list", "--schedules", path)
    assert proc.returncode == 2 and "--sites" in proc.stderr
